"""The schema on PostgreSQL: the tables of the SQLite schema version 3
(app/service/schema.py), same names and columns, with PostgreSQL's types (BYTEA, BIGINT,
DOUBLE PRECISION), and a trigger that tells listeners of the channel
``backprop_lab_changes`` each change of a network's version ("<id> <version>") and each
deletion ("<id> -"), in the transaction that made it (delivered when it commits).

`migrate` creates the schema in an empty database, or checks an existing one, in one
transaction holding an advisory lock: servers that start together migrate once, one
after another."""

from __future__ import annotations

from app.service.schema import APPLICATION, SCHEMA_VERSION, DatabaseProblem

CHANNEL = "backprop_lab_changes"
MIGRATE_LOCK = int.from_bytes(b"bplab-mg", "big")  # pg_advisory_xact_lock's key
TABLES = ("meta", "networks", "undo", "data", "creations")

CREATE = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE networks (
           id TEXT PRIMARY KEY, version BIGINT NOT NULL, state BYTEA NOT NULL,
           data_key TEXT NOT NULL, touched BIGINT NOT NULL, watch_id TEXT NOT NULL UNIQUE,
           title TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE undo (
           id TEXT NOT NULL, seq BIGINT NOT NULL, state BYTEA NOT NULL,
           data_key TEXT NOT NULL, bytes BIGINT NOT NULL, PRIMARY KEY (id, seq))""",
    "CREATE TABLE data (key TEXT PRIMARY KEY, body BYTEA NOT NULL)",
    """CREATE TABLE creations (
           client TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL,
           at DOUBLE PRECISION NOT NULL)""",
    "CREATE INDEX networks_data ON networks (data_key)",
    "CREATE INDEX networks_touched ON networks (touched)",
    "CREATE INDEX undo_data ON undo (data_key)",
    "CREATE INDEX creations_at ON creations (at)",
    f"""CREATE FUNCTION backprop_lab_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', OLD.id || ' -');
            ELSIF OLD.version IS DISTINCT FROM NEW.version THEN
                PERFORM pg_notify('{CHANNEL}', NEW.id || ' ' || NEW.version);
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER networks_changed AFTER UPDATE OR DELETE ON networks
           FOR EACH ROW EXECUTE FUNCTION backprop_lab_notify()""",
]


def schema_version(conn, where: str) -> int:
    """0 for a database without our tables; else the version its meta table records.
    DatabaseProblem for a database that is not backprop-lab's, or is newer."""
    found = {
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    }
    if not found & set(TABLES):
        return 0
    row = None
    if "meta" in found:
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or not str(row[0]).isdecimal():
        raise DatabaseProblem(
            f"{where} is not a backprop-lab database (it holds tables of the same names, "
            "without backprop-lab's schema); choose another database"
        )
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"{where} has schema version {version}, newer than this backprop-lab knows "
            f"({SCHEMA_VERSION}); upgrade backprop-lab, or choose another database"
        )
    missing = [t for t in TABLES if t not in found]
    if missing:
        raise DatabaseProblem(
            f"{where} is damaged: its table {missing[0]} is missing; restore it from a backup"
        )
    return version


def migrate(conn, where: str) -> int:
    """Create the schema in an empty database (or check the one there), in one transaction
    under the advisory lock: the schema version found before (0: created now)."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATE_LOCK,))
        current = schema_version(conn, where)
        if current == 0:
            for statement in CREATE:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO meta VALUES (?, ?), (?, ?)",
                ("schema_version", str(SCHEMA_VERSION), "application", APPLICATION),
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return current
