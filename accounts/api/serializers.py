"""Request and response shapes of the accounts API. Validation of form only; rules live in services."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.models import (
    ChildProfile,
    ConsentRecord,
    ConsentScope,
    Device,
    GuardianInvitation,
    Guardianship,
    PairingCodeKind,
    ParentalControls,
    User,
)
from accounts.models.children import Avatar, Grade
from accounts.services.controls import CONTROL_FIELDS
from happy_partner.api import serializers  # DRF's, with strict request bodies

LANGUAGE_CHOICES = settings.LANGUAGES


# --- auth ------------------------------------------------------------------------------------------
class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # min_length: Django's MinimumLengthValidator (AUTH_PASSWORD_VALIDATORS), said in the schema too.
    password = serializers.CharField(write_only=True, min_length=8, max_length=128, trim_whitespace=False)
    display_name = serializers.CharField(max_length=80)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language", "date_joined"]


# --- children --------------------------------------------------------------------------------------
class InterestsField(serializers.ListField):
    child = serializers.CharField(max_length=30)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)  # a class attribute would be overwritten by ListField
        super().__init__(**kwargs)


class ChildSerializer(serializers.ModelSerializer):
    age = serializers.IntegerField(read_only=True)
    age_band = serializers.CharField(read_only=True)
    role = serializers.SerializerMethodField(help_text="The caller's guardianship role: owner or co_guardian.")
    consent_scopes = serializers.SerializerMethodField(help_text="Scopes with an active consent.")

    class Meta:
        model = ChildProfile
        fields = [
            "id",
            "display_name",
            "birth_date",
            "birth_date_estimated",
            "age",
            "age_band",
            "grade",
            "language",
            "interests",
            "avatar",
            "is_active",
            "role",
            "consent_scopes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_role(self, child: ChildProfile) -> str | None:
        return getattr(child, "my_role", None)

    def get_consent_scopes(self, child: ChildProfile) -> list[str]:
        return sorted(record.scope for record in getattr(child, "active_consents", []))


class ChildCreateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=40)
    birth_date = serializers.DateField(required=False)
    age = serializers.IntegerField(required=False, min_value=ChildProfile.MIN_AGE, max_value=ChildProfile.MAX_AGE)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_null=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    interests = InterestsField(required=False)
    avatar = serializers.ChoiceField(choices=Avatar.choices, required=False)
    consent_scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentScope.choices), allow_empty=False, max_length=10
    )
    policy_version = serializers.CharField(required=False, max_length=20)

    def validate(self, attrs):
        if "birth_date" in attrs and "age" in attrs:
            raise serializers.ValidationError({"age": [_("Give a birth date or an age, not both.")]})
        if "birth_date" not in attrs and "age" not in attrs:
            raise serializers.ValidationError({"birth_date": [_("Give a birth date or an age.")]})
        return attrs


class ChildUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=40, required=False)
    birth_date = serializers.DateField(required=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_null=True)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    interests = InterestsField(required=False)
    avatar = serializers.ChoiceField(choices=Avatar.choices, required=False)
    is_active = serializers.BooleanField(required=False)


# --- controls ----------------------------------------------------------------------------------------
@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "07:30"})
class ControlTimeField(serializers.TimeField):
    """A time of day in the family's time zone, written HH:MM."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class ControlsSerializer(serializers.ModelSerializer):
    blocked_words = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=ParentalControls.MAX_BLOCKED_WORDS, required=False
    )
    pin = serializers.RegexField(
        r"^[0-9]{6}$",
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Set a 6-digit parent PIN; null clears it.",
        error_messages={"invalid": _("The PIN must be 6 digits.")},
    )
    pin_set = serializers.BooleanField(read_only=True)
    weekday_start = ControlTimeField(required=False)
    weekday_end = ControlTimeField(required=False)
    weekend_start = ControlTimeField(required=False)
    weekend_end = ControlTimeField(required=False)

    class Meta:
        model = ParentalControls
        fields = [*CONTROL_FIELDS, "pin", "pin_set", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        if not self.partial:
            missing = [name for name in CONTROL_FIELDS if name not in attrs]
            if missing:
                raise serializers.ValidationError(
                    {
                        name: [_("This field is required (PUT replaces all controls; use PATCH to change some).")]
                        for name in missing
                    }
                )
        return attrs


class PinSerializer(serializers.Serializer):
    pin = serializers.RegexField(r"^[0-9]{6}$", error_messages={"invalid": _("The PIN must be 6 digits.")})


class PinResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()


# --- consent -----------------------------------------------------------------------------------------
class ConsentSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "scope",
            "policy_version",
            "method",
            "guardian_email",
            "granted_at",
            "withdrawn_at",
            "is_active",
        ]
        read_only_fields = fields


class ConsentPolicyScopeSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    # DRF's metaclass takes declared fields off the class, so these names do not shadow Field.label
    # and Field.required at run time; the type checker cannot know that.
    label = serializers.CharField()  # type: ignore[assignment]
    required = serializers.BooleanField(help_text="A child cannot be added without it.")  # type: ignore[assignment]


class ConsentPolicySerializer(serializers.Serializer):
    version = serializers.CharField(help_text="Send it back as policy_version when granting consent.")
    scopes = ConsentPolicyScopeSerializer(many=True)


class ConsentCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    policy_version = serializers.CharField(required=False, max_length=20)


# --- devices -----------------------------------------------------------------------------------------
class DeviceSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Device
        fields = ["id", "name", "created_at", "last_seen_at", "revoked_at", "is_active"]
        read_only_fields = fields


class PairingCodeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PairingCodeKind.choices,
        default=PairingCodeKind.SHORT,
        help_text=_(
            "short: 6 digits, for a device with only a keypad. long: 12 characters in groups of four "
            "(K7QM-3XRT-9HWP), for a device with a keyboard; cannot be guessed."
        ),
    )


class PairingCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=PairingCodeKind.choices)
    expires_at = serializers.DateTimeField()


class PairSerializer(serializers.Serializer):
    # A long code may be sent as shown, with its hyphens (14 characters) or spaces.
    code = serializers.CharField(max_length=20)
    device_name = serializers.CharField(max_length=60)


class PairingRequestCreateSerializer(serializers.Serializer):
    device_name = serializers.CharField(max_length=60)


class PairingRequestCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text=_("Show or speak this to the parent, e.g. K7QM-3XRT."))
    secret = serializers.CharField(help_text=_("Keep it: send it as X-Pairing-Secret when polling."))
    expires_at = serializers.DateTimeField()
    poll_interval = serializers.IntegerField(help_text=_("Seconds to wait between polls."))


class PairingClaimSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ChildBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildProfile
        fields = ["id", "display_name"]


class PairResultSerializer(TokenPairSerializer):
    child = ChildBriefSerializer()
    device = DeviceSerializer()


class PairingClaimResultSerializer(serializers.Serializer):
    child = ChildBriefSerializer()
    device = DeviceSerializer()


class PairingRequestStatusSerializer(serializers.Serializer):
    """``pending`` until a guardian enters the code; then ``paired`` with the tokens, exactly once."""

    status = serializers.ChoiceField(choices=[("pending", "pending"), ("paired", "paired")])
    expires_at = serializers.DateTimeField()
    poll_interval = serializers.IntegerField(required=False)
    access = serializers.CharField(required=False)
    refresh = serializers.CharField(required=False)
    child = ChildBriefSerializer(required=False)
    device = DeviceSerializer(required=False)


# --- guardians ---------------------------------------------------------------------------------------
class GuardianBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name", "email"]


class GuardianshipSerializer(serializers.ModelSerializer):
    guardian = GuardianBriefSerializer()

    class Meta:
        model = Guardianship
        fields = ["id", "guardian", "role", "created_at"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    is_pending = serializers.BooleanField(read_only=True)

    class Meta:
        model = GuardianInvitation
        fields = ["id", "email", "created_at", "expires_at", "accepted_at", "revoked_at", "is_pending"]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)


# --- me ----------------------------------------------------------------------------------------------
class ChildFeaturesSerializer(serializers.Serializer):
    chat = serializers.BooleanField(help_text="False when the child is switched off or chat consent is withdrawn.")
    education = serializers.BooleanField()
    emotion = serializers.BooleanField()
    stories = serializers.BooleanField()
    voice = serializers.BooleanField()
    memory = serializers.BooleanField()


class ChildSelfSerializer(serializers.ModelSerializer):
    age_band = serializers.CharField(read_only=True)

    class Meta:
        model = ChildProfile
        fields = ["id", "display_name", "age_band", "grade", "language", "interests", "avatar"]
        read_only_fields = fields


class MeParentSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="parent")
    user = UserSerializer()


class MeChildSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="child")
    child = ChildSelfSerializer()
    device = DeviceSerializer()
    features = ChildFeaturesSerializer(help_text="What the parent switched on and consented to.")


class RealtimeTicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text="Connect with ?ticket=… within expires_in seconds; it works once.")
    expires_in = serializers.IntegerField(help_text="Seconds the ticket stays valid.")
