from django.urls import path

from archive.api import views

urlpatterns = [
    path("children/<id:child_id>/archives/", views.ArchiveListView.as_view(), name="child-archives"),
    path(
        "children/<id:child_id>/archives/<id:archive_id>/messages/",
        views.ArchiveMessagesView.as_view(),
        name="child-archive-messages",
    ),
    path(
        "children/<id:child_id>/archives/<id:archive_id>/restore/",
        views.ArchiveRestoreView.as_view(),
        name="child-archive-restore",
    ),
    path("children/<id:child_id>/retention/", views.RetentionView.as_view(), name="child-retention"),
    path("children/<id:child_id>/exports/", views.ExportListView.as_view(), name="child-exports"),
    path("exports/<id:export_id>/", views.ExportDetailView.as_view(), name="export-detail"),
    path("exports/<id:export_id>/download/", views.ExportDownloadView.as_view(), name="export-download"),
    path("me/erase/", views.AccountEraseView.as_view(), name="me-erase"),
]
