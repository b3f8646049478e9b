from django.core.management.base import BaseCommand

from accounts.models import ChildProfile, User
from accounts.services.demo import demo_family_ensure
from conversations.services.demo import demo_history_ensure


class Command(BaseCommand):
    help = "Create the demo family and admin once, and print how to sign in."

    def handle(self, *args, **options) -> None:
        family = demo_family_ensure()
        parent = User.objects.get(email=family.parent_email)
        children = list(ChildProfile.objects.filter(guardianships__guardian=parent).select_related("controls"))
        demo_history_ensure(children=children)
        state = "created" if family.created else "already present"
        self.stdout.write(self.style.SUCCESS(f"Demo data {state}."))
        self.stdout.write(f"  Parent : {family.parent_email} / {family.parent_password}  (PIN {family.pin})")
        self.stdout.write(f"  Children: {', '.join(family.children)}")
        self.stdout.write("  Parents: http://127.0.0.1:8000/ (sign in with the parent above)")
        self.stdout.write(f"  Admin  : {family.admin_email} / {family.admin_password}  -> http://127.0.0.1:8000/admin/")
        self.stdout.write("  API    : http://127.0.0.1:8000/api/v1/docs/")
