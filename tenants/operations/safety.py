"""Zero-downtime rules for migrations: which operations may lock or break a live tenant.

During a rollout old code keeps serving while schemas move to the new head, and each tenant's
migration holds its locks until its transaction commits. So an operation is unsafe when it takes a
long exclusive lock on a populated table (rewrites, index builds, validating constraints) or when
the still-running old code would break on the result (dropped or renamed tables and columns).
Operations on a model created in the same migration are safe: its table is empty.

A migration whose unsafe operations were reviewed says so with a class attribute:

    class Migration(migrations.Migration):
        rollout_reviewed = "Table has < 1000 rows per tenant; the rewrite takes milliseconds."
"""

from dataclasses import dataclass

from django.db import migrations
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation

_ALWAYS_UNSAFE: dict[type[Operation], str] = {
    migrations.RemoveField: "drops a column the running code still reads",
    migrations.DeleteModel: "drops a table the running code still reads",
    migrations.RenameField: "renames a column the running code still reads",
    migrations.RenameModel: "renames a table the running code still reads",
    migrations.AlterModelTable: "renames a table the running code still reads",
    migrations.AlterField: "may rewrite the table or scan it under an exclusive lock",
    migrations.RunPython: "runs arbitrary code per tenant (duration and locks unknown)",
    migrations.RunSQL: "runs arbitrary SQL per tenant (duration and locks unknown)",
}
_UNSAFE_ON_EXISTING: dict[type[Operation], str] = {
    migrations.AddIndex: "builds an index while blocking writes (not CONCURRENTLY)",
    migrations.AddConstraint: "validates the constraint over the whole table under a lock",
    migrations.AlterUniqueTogether: "builds a unique index while blocking writes",
}


@dataclass(frozen=True)
class UnsafeOperation:
    migration: str
    operation: str
    reason: str
    reviewed: str

    def __str__(self) -> str:
        mark = f" (reviewed: {self.reviewed})" if self.reviewed else ""
        return f"{self.migration}: {self.operation}: {self.reason}{mark}"


def _field_unsafe(operation: migrations.AddField) -> str:
    field = operation.field
    if getattr(field, "unique", False) or getattr(field, "db_index", False):
        return "adds a column with an index built while blocking writes"
    if getattr(field, "remote_field", None) is not None and getattr(field, "db_constraint", True):
        return "adds a foreign key validated over the whole table under a lock"
    return ""


def migration_unsafe_operations(*, migration: Migration) -> list[UnsafeOperation]:
    """The operations of `migration` that may lock or break a live tenant."""
    label = f"{migration.app_label}.{migration.name}"
    reviewed = getattr(migration, "rollout_reviewed", "") or ""
    created: set[str] = set()
    found: list[UnsafeOperation] = []

    def visit(operation: Operation) -> None:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            for inner in operation.database_operations:
                visit(inner)
            return
        if isinstance(operation, migrations.CreateModel):
            created.add(operation.name_lower)
            return
        reason = ""
        for kind, why in _ALWAYS_UNSAFE.items():
            if isinstance(operation, kind):
                reason = why
        model = getattr(operation, "model_name_lower", None) or getattr(operation, "name_lower", None)
        if not reason and model not in created:
            for kind, why in _UNSAFE_ON_EXISTING.items():
                if isinstance(operation, kind):
                    reason = why
            if isinstance(operation, migrations.AddField):
                reason = _field_unsafe(operation)
        if reason:
            found.append(
                UnsafeOperation(
                    migration=label, operation=operation.describe(), reason=reason, reviewed=reviewed
                )
            )

    for operation in migration.operations:
        visit(operation)
    return found
