from django.urls import path

from accounts.api.views import auth, children, consents, controls, devices, guardians, realtime

urlpatterns = [
    path("auth/register/", auth.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh/", auth.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("me/", auth.MeView.as_view(), name="me"),
    path("children/", children.ChildListView.as_view(), name="child-list"),
    path("children/<id:child_id>/", children.ChildDetailView.as_view(), name="child-detail"),
    path("children/<id:child_id>/controls/", controls.ControlsView.as_view(), name="child-controls"),
    path("children/<id:child_id>/controls/verify-pin/", controls.VerifyPinView.as_view(), name="child-verify-pin"),
    path("children/<id:child_id>/consents/", consents.ConsentListView.as_view(), name="child-consents"),
    path(
        "children/<id:child_id>/consents/<id:consent_id>/withdraw/",
        consents.ConsentWithdrawView.as_view(),
        name="child-consent-withdraw",
    ),
    path("children/<id:child_id>/pairing-codes/", devices.PairingCodeView.as_view(), name="child-pairing-codes"),
    path("children/<id:child_id>/devices/", devices.DeviceListView.as_view(), name="child-devices"),
    path(
        "children/<id:child_id>/devices/<id:device_id>/revoke/",
        devices.DeviceRevokeView.as_view(),
        name="child-device-revoke",
    ),
    path("children/<id:child_id>/guardians/", guardians.GuardianListView.as_view(), name="child-guardians"),
    path(
        "children/<id:child_id>/guardians/<id:guardianship_id>/",
        guardians.GuardianDetailView.as_view(),
        name="child-guardian-detail",
    ),
    path("children/<id:child_id>/invitations/", guardians.InvitationListView.as_view(), name="child-invitations"),
    path(
        "children/<id:child_id>/invitations/<id:invitation_id>/revoke/",
        guardians.InvitationRevokeView.as_view(),
        name="child-invitation-revoke",
    ),
    path(
        "children/<id:child_id>/pairing-requests/claim/",
        devices.PairingRequestClaimView.as_view(),
        name="child-pairing-request-claim",
    ),
    path("devices/pair/", devices.PairView.as_view(), name="devices-pair"),
    path("devices/pairing-requests/", devices.PairingRequestCreateView.as_view(), name="devices-pairing-requests"),
    path(
        "devices/pairing-requests/<id:request_id>/",
        devices.PairingRequestStatusView.as_view(),
        name="devices-pairing-request",
    ),
    path("consent-policy/", consents.ConsentPolicyView.as_view(), name="consent-policy"),
    path("invitations/accept/", guardians.InvitationAcceptView.as_view(), name="invitations-accept"),
    path("realtime/ticket/", realtime.RealtimeTicketView.as_view(), name="realtime-ticket"),
]
