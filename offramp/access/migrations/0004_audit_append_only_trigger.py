"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

A trigger stops the application (and anyone using its role) from editing or
removing audit rows. Production should also connect as a role that holds only
INSERT and SELECT on access_auditentry (docs/security.md). SQLite has no roles;
there the model refuses changes and `offramp audit verify` detects any made outside it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION offramp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditentry_append_only
    BEFORE UPDATE OR DELETE ON access_auditentry
    FOR EACH ROW EXECUTE FUNCTION offramp_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS access_auditentry_append_only ON access_auditentry;
DROP FUNCTION IF EXISTS offramp_audit_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses % itself

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0003_audit_chain")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
