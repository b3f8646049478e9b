"""Accounts: parents and staff (users), children, guardianship, controls, consent, devices."""

from accounts.models.children import ChildProfile, GuardianInvitation, GuardianRole, Guardianship
from accounts.models.consent import ConsentMethod, ConsentRecord, ConsentScope
from accounts.models.controls import ParentalControls, SafetySensitivity, Severity
from accounts.models.devices import Device, PairingCode, PairingCodeKind, PairingRequest
from accounts.models.erasure import ErasureReason, ErasureRecord
from accounts.models.users import User

__all__ = [
    "ChildProfile",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentScope",
    "Device",
    "ErasureReason",
    "ErasureRecord",
    "GuardianInvitation",
    "GuardianRole",
    "Guardianship",
    "PairingCode",
    "PairingCodeKind",
    "PairingRequest",
    "ParentalControls",
    "SafetySensitivity",
    "Severity",
    "User",
]
