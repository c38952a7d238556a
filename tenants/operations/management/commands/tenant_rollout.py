from django.core.management.base import BaseCommand, CommandError

from eoffice.core.errors import ApplicationError
from tenants.operations.models import Rollout
from tenants.operations.rollout import RolloutOptions, rollout_plan, rollout_run
from tenants.operations.selectors import rollout_latest_unfinished


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class Command(BaseCommand):
    help = (
        "Migrate every schema to the code's head: public, template and spares, canary tenants, then "
        "parallel waves. Each tenant in its own transaction; failures are isolated and recorded."
    )

    # System checks cost about a second here and do not depend on the schemas; deployments run
    # `manage.py check --deploy` once, before the rollout.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List tenants and migrations; change nothing."
        )
        parser.add_argument("--canary", default="", help="Comma-separated tenant schemas migrated first.")
        parser.add_argument("--workers", type=int, default=4, help="Parallel tenants (own connections).")
        parser.add_argument("--resume", action="store_true", help="Continue the last unfinished rollout.")
        parser.add_argument("--wave-size", type=int, default=50)
        parser.add_argument(
            "--on-failure", choices=[c for c, _l in Rollout.OnFailure.choices], default="keep"
        )
        parser.add_argument("--lock-timeout", type=int, default=5_000, help="Milliseconds.")
        parser.add_argument("--statement-timeout", type=int, default=300_000, help="Milliseconds.")
        parser.add_argument("--halt-after", type=int, default=10, help="Stop new waves after N failures.")
        parser.add_argument("--schemas", default="", help="Only these tenant schemas (comma-separated).")

    def handle(self, *args, **options):
        plan_kwargs: dict = {"wave_size": options["wave_size"]}
        if options["canary"]:
            plan_kwargs["canary"] = _names(options["canary"])
        if options["schemas"]:
            plan_kwargs["schemas"] = _names(options["schemas"])
        try:
            if options["dry_run"]:
                self._dry_run(plan_kwargs)
                return
            resume = None
            if options["resume"]:
                resume = rollout_latest_unfinished()
                if resume is None:
                    self.stdout.write("No unfinished rollout; starting a new one.")
            rollout = rollout_run(
                plan_kwargs=plan_kwargs,
                options=RolloutOptions(
                    workers=options["workers"],
                    on_failure=options["on_failure"],
                    lock_timeout_ms=options["lock_timeout"],
                    statement_timeout_ms=options["statement_timeout"],
                    halt_after_failures=options["halt_after"],
                ),
                started_by="manage.py tenant_rollout",
                resume=resume,
                report=self.stdout.write if options["verbosity"] >= 1 else (lambda line: None),
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        counts: dict[str, int] = {}
        for status in rollout.tenants.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"Rollout #{rollout.pk}: {rollout.status} ({summary})")
        if rollout.note:
            self.stdout.write(rollout.note)
        if rollout.status != Rollout.Status.SUCCEEDED:
            raise CommandError(
                f"Rollout #{rollout.pk} ended {rollout.status}; see the console or rerun --resume."
            )

    def _dry_run(self, plan_kwargs: dict) -> None:
        plan = rollout_plan(**plan_kwargs)
        names = {0: "public", 1: "template/spares", 2: "canary"}
        for wave, tasks in plan.waves().items():
            self.stdout.write(f"wave {wave} ({names.get(wave, 'parallel')}): {len(tasks)} schema(s)")
            for task in tasks:
                self.stdout.write(f"  {task.schema}: {', '.join(task.labels)}")
        skipped = len(plan.tasks) - len(plan.to_migrate)
        self.stdout.write(f"{len(plan.to_migrate)} schema(s) to migrate, {skipped} already at head.")
        if plan.missing:
            self.stdout.write(f"missing schemas (not migrated): {', '.join(plan.missing)}")
        unsafe = plan.unsafe()
        for item in unsafe:
            self.stdout.write(f"UNSAFE {item}")
        if not unsafe:
            self.stdout.write("No unsafe operations.")
