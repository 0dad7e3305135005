import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anquan.core import audit


class Command(BaseCommand):
    help = (
        "Audit log operations (docs/adr/0006-audit-chain.md). `verify` checks every chained entry's link and "
        "HMAC, the head and the anchors, and reports the unchained tail; `chain` links the unchained entries "
        "now; `anchor` chains, then appends the head to the anchor file (AUDIT_ANCHOR_FILE); `rotate-key` "
        "anchors the chain and prints a new key with the environment lines that retire the current one."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["verify", "chain", "anchor", "rotate-key"])
        parser.add_argument(
            "--anchor-file", type=Path, help="anchor file to read or write (default AUDIT_ANCHOR_FILE)"
        )
        parser.add_argument(
            "--no-anchor",
            action="store_true",
            help="verify: do not compare with the anchors (a copy restored from an older backup is shorter)",
        )

    def handle(self, *args, **opts):
        operation = opts["operation"]
        if operation == "chain":
            self.stdout.write(f"{audit.chain_pending()} entries chained")
        elif operation == "anchor":
            audit.chain_pending()
            mark = audit.anchor(opts["anchor_file"])
            self.stdout.write(f"{mark.line()}  → {opts['anchor_file'] or settings.AUDIT_ANCHOR_FILE}")
        elif operation == "rotate-key":
            self.rotate_key(opts)
        else:
            self.verify(opts)

    def verify(self, opts):
        anchors = False if opts["no_anchor"] else opts["anchor_file"]
        try:
            result = audit.verify(anchors=anchors)
        except ValueError as exc:  # an anchor file that is not one
            raise CommandError(str(exc)) from exc
        tail = f"; {result.unchained} entries not yet chained" if result.unchained else ""
        compared = f"; {result.anchors} anchors compared" if result.anchors else ""
        if result.ok:
            notes = "".join(f" ({note})" for note in result.notes)
            self.stdout.write(
                self.style.SUCCESS(
                    f"audit log intact: {result.checked} entries verified{compared}{tail}{notes}"
                )
            )
            return
        where = f"entry {result.broken_id}" if result.broken_id else "end of log"
        raise CommandError(
            f"audit log broken at {where}: {result.reason} ({result.checked} entries verified before it{tail})"
        )

    def rotate_key(self, opts):
        audit.chain_pending()
        mark = audit.anchor(opts["anchor_file"])
        new = secrets.token_urlsafe(48)
        retired = [settings.AUDIT_KEY, *settings.AUDIT_OLD_KEYS]
        self.stdout.write(
            f"anchored the chain under key {mark.key_id}: {mark.line()}\n"
            f"new key {audit.key_id_of(new)}. Put these two lines into the environment file (replacing the old ones)\n"
            "and restart the application and the sweep; entries chained from then on use the new key, and the\n"
            "retired keys keep the older entries verifiable (never drop one while entries chained under it exist):\n\n"
            f"ANQUAN_AUDIT_KEY={new}\n"
            f"ANQUAN_AUDIT_OLD_KEYS={','.join(retired)}\n"
        )
