from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models.users import User


class Grade(models.IntegerChoices):
    KINDERGARTEN = 0, _("Kindergarten")
    GRADE_1 = 1, _("Grade 1")
    GRADE_2 = 2, _("Grade 2")
    GRADE_3 = 3, _("Grade 3")
    GRADE_4 = 4, _("Grade 4")
    GRADE_5 = 5, _("Grade 5")
    GRADE_6 = 6, _("Grade 6")
    GRADE_7 = 7, _("Grade 7")


class Avatar(models.TextChoices):
    """Built-in avatars only: a child's photo is never uploaded, so it can never leak."""

    PANDA = "panda", _("Panda")
    RABBIT = "rabbit", _("Rabbit")
    CAT = "cat", _("Cat")
    DOG = "dog", _("Dog")
    DINOSAUR = "dinosaur", _("Dinosaur")
    ROBOT = "robot", _("Robot")
    ROCKET = "rocket", _("Rocket")
    STAR = "star", _("Star")


class ChildProfile(models.Model):
    """A child. Not a login: a child acts through a paired device's child-scoped token."""

    MIN_AGE = 4
    MAX_AGE = 13

    display_name = models.CharField(_("display name"), max_length=40)
    birth_date = models.DateField(_("birth date"))
    birth_date_estimated = models.BooleanField(
        _("birth date estimated from age"),
        default=False,
        help_text=_("Set when the parent gave an age instead of a birth date."),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), choices=Grade.choices, null=True, blank=True, validators=[MaxValueValidator(7)]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    avatar = models.CharField(_("avatar"), max_length=20, choices=Avatar.choices, default=Avatar.PANDA)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive child cannot chat; nothing is deleted.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    guardians: models.ManyToManyField[User, Guardianship] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Guardianship", related_name="children", verbose_name=_("guardians")
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"{self.display_name} (#{self.pk})"

    @staticmethod
    def age_on(birth_date: date, today: date) -> int:
        return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))

    @property
    def age(self) -> int:
        return self.age_on(self.birth_date, timezone.localdate())

    @property
    def age_band(self) -> str:
        """The band the agents pitch their language at: 5-6, 7-8, 9-10 or 11-12."""
        age = self.age
        if age <= 6:
            return "5-6"
        if age <= 8:
            return "7-8"
        if age <= 10:
            return "9-10"
        return "11-12"


class GuardianRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    CO_GUARDIAN = "co_guardian", _("Co-guardian")


class Guardianship(models.Model):
    """Who may see and manage a child. Every parent-facing queryset is scoped through this table."""

    # PROTECT: an account that still guards a child cannot be deleted (that would orphan the
    # child's data); delete the child or leave as co-guardian first.
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="guardianships",
        verbose_name=_("guardian"),
        db_index=False,  # the unique (guardian, child) index serves lookups by guardian
    )
    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("child")
    )
    role = models.CharField(_("role"), max_length=20, choices=GuardianRole.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child"], name="guardianship_unique_pair"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(role="owner"), name="guardianship_one_owner_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} → {self.child_id} ({self.role})"


class GuardianInvitation(models.Model):
    """An e-mailed invitation for a second grown-up to become a co-guardian of a child."""

    child = models.ForeignKey(
        ChildProfile,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("child"),
        db_index=False,  # served by invitation_child_recent (child, -created_at)
    )
    email = models.EmailField(_("e-mail address"))
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_invitations",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian invitation")
        verbose_name_plural = _("guardian invitations")
        indexes = [models.Index(fields=["child", "-created_at"], name="invitation_child_recent")]

    def __str__(self) -> str:
        return f"invitation #{self.pk} for child {self.child_id}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
