import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    # Registrations did not exist before 0002 of the same release, so the table is empty and a
    # plain unique column with a per-row default is safe.
    dependencies = [("tenants", "0003_load_wilayah")]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
