"""Migration 0015_arch_meeting: the journal's entries about meetings, written when the model
was named Session, name it Meeting; the downgrade puts the old name back."""
from sqlalchemy import create_engine, text

from tests.scratch_db import flask_cli, scratch_databases

ENTRY = ("INSERT INTO audit_entry (territory_id, user_id, action, object_type, object_id, "
         "label, changes, created_at) VALUES (:territory, NULL, 'create', :kind, 1, 'GT1', "
         "'{}', CURRENT_TIMESTAMP)")


def _kinds(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT object_type FROM audit_entry ORDER BY id")))


def test_meetings_keep_their_journal_through_the_rename(database_url):
    with scratch_databases(database_url) as new_database:
        url = new_database()
        flask_cli(url, "db", "upgrade", "0014_room_live")
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                territory = connection.execute(text(
                    "INSERT INTO territory (name, slug, level, description, created_at, updated_at) "
                    "VALUES ('Charenton', 'charenton', 'epci', '', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP) RETURNING id")).scalar_one()
                for kind in ("Session", "Organisation"):
                    connection.execute(text(ENTRY), {"territory": territory, "kind": kind})
            flask_cli(url, "db", "upgrade", "0015_arch_meeting")
            assert _kinds(engine) == ["Meeting", "Organisation"]
            flask_cli(url, "db", "downgrade", "0014_room_live")
            assert _kinds(engine) == ["Session", "Organisation"]
        finally:
            engine.dispose()
