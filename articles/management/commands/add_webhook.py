"""``manage.py add_webhook URL --secret S [--events published,updated,...]``: add an endpoint."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.models import WEBHOOK_EVENTS, WebhookEndpoint


class Command(BaseCommand):
    help = "Add a webhook endpoint that hears story events (all of them unless --events says)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--secret", required=True, help="Shared with the receiver.")
        parser.add_argument(
            "--events",
            default=",".join(WEBHOOK_EVENTS),
            help=f"Comma-separated, of: {', '.join(WEBHOOK_EVENTS)}.",
        )
        parser.add_argument("--description", default="")

    def handle(self, *args, url, secret, events, description, **options):
        if not secret.strip():
            raise CommandError("The secret may not be empty.")
        endpoint = WebhookEndpoint(
            url=url,
            secret=secret,
            events=[e.strip() for e in events.split(",") if e.strip()],
            description=description,
        )
        try:
            endpoint.full_clean()
        except ValidationError as exc:
            messages = [
                f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
            ]
            raise CommandError("; ".join(messages)) from exc
        endpoint.save()
        self.stdout.write(f"Webhook {endpoint.pk} added: {url} ({', '.join(endpoint.events)})")
