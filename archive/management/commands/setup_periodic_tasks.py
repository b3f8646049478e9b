from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

INSTALLED = "installed schedule: "  # the description says what this command last installed


def _crontab(cron: str) -> CrontabSchedule:
    minute, hour, day_of_month, month_of_year, day_of_week = cron.split()
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year, day_of_week=day_of_week,
        timezone="UTC",
    )  # fmt: skip
    return schedule


def _cron_of(task: PeriodicTask) -> str | None:
    c = task.crontab
    return None if c is None else f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"


class Command(BaseCommand):
    help = (
        "Install settings.PERIODIC_TASKS into django-celery-beat. Idempotent: a task is created when missing,"
        " its schedule updated when the setting changed, and kept when staff changed it in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options):
        for name, spec in settings.PERIODIC_TASKS.items():
            cron, task_name = spec["cron"], spec["task"]
            task = PeriodicTask.objects.select_related("crontab").filter(name=name).first()
            if task is None:
                action = "created"
                if not dry_run:
                    PeriodicTask.objects.create(
                        name=name, task=task_name, crontab=_crontab(cron), description=INSTALLED + cron
                    )
            else:
                installed = task.description.removeprefix(INSTALLED) if task.description.startswith(INSTALLED) else None
                current = _cron_of(task)
                if current == cron and task.task == task_name:
                    action = "unchanged"
                elif installed is not None and current != installed:
                    action = f"kept staff's schedule {current!r} (setting: {cron!r})"
                else:
                    action = f"updated {current!r} -> {cron!r}"
                    if not dry_run:
                        task.task, task.crontab, task.interval = task_name, _crontab(cron), None
                        task.description = INSTALLED + cron
                        task.save()
            self.stdout.write(f"{name}: {action}{' (dry run)' if dry_run else ''}")
