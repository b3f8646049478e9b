from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.controls import SEVERITY_CHOICES
from conversations.safety import term_problem
from conversations.safety.types import Category

CATEGORY_CHOICES = [(c.value, c.value.replace("_", " ")) for c in Category if c is not Category.PARENT_BLOCKED]


class LexiconTerm(models.Model):
    """A staff-managed addition to the bundled safety lexicon; takes effect without a deploy."""

    term = models.CharField(_("term"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=CATEGORY_CHOICES)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITY_CHOICES[1:])
    language = models.CharField(_("language"), max_length=5, choices=[("zh", "中文"), ("en", "English")])
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("lexicon term")
        verbose_name_plural = _("lexicon terms")
        constraints = [models.UniqueConstraint(fields=["term", "category"], name="lexicon_term_unique")]

    def __str__(self) -> str:
        return f"{self.term} ({self.category}, {self.severity})"

    def clean(self) -> None:
        """Refuse a term that would match almost everything (e.g. one character) or nothing."""
        problem = term_problem(self.term)
        if problem:
            raise ValidationError({"term": problem})
