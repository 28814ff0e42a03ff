"""Audit entries are appended without a lock and sealed into the chain afterwards.

Entries gain `content_hash` (each entry's own hash, written with it) and an index
of those still unsealed; the default order becomes insertion order. On
PostgreSQL the append-only trigger now lets exactly one UPDATE through: sealing
an unsealed entry, which sets `seq`, `prev_hash` and `entry_hash` and changes
nothing else. Every other UPDATE, and every DELETE, is still refused.
Entries already in the log were sealed when written and stay as they are.
"""

from django.db import migrations, models

CONTENT = (
    "id, at, actor_id, actor_label, program_id, action, object_type, object_id, "
    "source_address, outcome, detail, content_hash"
)
OLD_COLUMNS = ", ".join(f"OLD.{c.strip()}" for c in CONTENT.split(","))
NEW_COLUMNS = ", ".join(f"NEW.{c.strip()}" for c in CONTENT.split(","))

SEALING = f"""
CREATE OR REPLACE FUNCTION offramp_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.prev_hash = '' AND OLD.entry_hash = ''
       AND NEW.seq IS NOT NULL
       AND ({NEW_COLUMNS}) IS NOT DISTINCT FROM ({OLD_COLUMNS}) THEN
        RETURN NEW;  -- sealing: an unsealed entry gets its place in the chain, nothing else changes
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""
REFUSE_ALL = """
CREATE OR REPLACE FUNCTION offramp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses % itself

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0007_consent_recipient_police")]

    operations = [
        migrations.AlterModelOptions(name="auditentry", options={"ordering": ["-id"]}),
        migrations.AddField(
            model_name="auditentry",
            name="content_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(
                help_text="Position in the hash chain, from 1; empty until sealed", null=True, unique=True
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(seq__isnull=True), fields=["id"], name="audit_unsealed"),
        ),
        migrations.RunPython(_on_postgresql(SEALING), _on_postgresql(REFUSE_ALL)),
    ]
