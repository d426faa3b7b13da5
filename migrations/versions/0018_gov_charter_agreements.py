"""Governance as the charter says it: each party's agreement to a version, versions in force
from a date to come, who entered each position, absences at the round table, reopenings
decided by the instance

Revision ID: 0018_gov_charter_agreements
Revises: 0017_imp20_directory_imports
"""
import copy

import sqlalchemy as sa
from alembic import op

revision = "0018_gov_charter_agreements"
down_revision = "0017_imp20_directory_imports"
branch_labels = None
depends_on = None

OLD_POSITIONS = "position IN ('accord', 'accord_reserve', 'objection', 'abstention')"
NEW_POSITIONS = "position IN ('accord', 'accord_reserve', 'objection', 'abstention', 'absent')"
ADDED_RULES = {("groupe_travail",), ("chef_projet",), ("codir",), ("copredir",)}


def _as_the_charter_says(content):
    """Quartier Libre's text read as it is written: « l'accord des trois maisons », its houses
    called « maisons », step 3 presented by the porteurs or a copil member, the arbitration
    rules the text does not write marked as the coordination's."""
    if not isinstance(content, dict) or content.get("key") != "quartier_libre":
        return content
    content = copy.deepcopy(content)
    revision = content.get("revision") or {}
    if revision.get("adopted_by") == "copil":
        content["revision"] = {"agreement_of": "each_structure",
                               "structure_body": "Conseil d'administration",
                               "text": revision.get("text", "")}
    content.setdefault("members_called", {"one": "maison", "many": "maisons"})
    for step in content.get("lifecycle", []):
        if step.get("key") == "presentation" and step.get("instance") == "copil":
            step.setdefault("actor", "porteurs")
    for entry in content.get("arbitration", []):
        if entry.get("outcome") == "escalate" and tuple(entry.get("blocked_at", [])) in ADDED_RULES:
            entry.setdefault("origin", "coordination")
        if entry.get("outcome") == "lapse" and entry.get("reopened_by"):
            entry.setdefault("reopened_by_origin", "coordination")
    return content


def upgrade():
    with op.batch_alter_table("charter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scheduled_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("scheduled_content", sa.JSON(), nullable=True))
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.alter_column("adopting_instance", existing_type=sa.String(length=200),
                              type_=sa.String(length=500), existing_nullable=False)
    op.create_table(
        "charter_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("instance_key", sa.String(length=60), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("(organisation_id IS NULL) <> (instance_key IS NULL)",
                           name=op.f("ck_charter_agreement_one_party")),
        sa.ForeignKeyConstraint(["charter_id"], ["charter.id"],
                                name=op.f("fk_charter_agreement_charter_id_charter"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["charter_version.id"],
                                name=op.f("fk_charter_agreement_version_id_charter_version"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_charter_agreement_organisation_id_organisation"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"],
                                name=op.f("fk_charter_agreement_recorded_by_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"],
                                name=op.f("fk_charter_agreement_territory_id_territory"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_agreement")),
        sa.UniqueConstraint("version_id", "organisation_id",
                            name="uq_charter_agreement_version_organisation"),
        sa.UniqueConstraint("version_id", "instance_key",
                            name="uq_charter_agreement_version_instance"),
    )
    with op.batch_alter_table("charter_agreement", schema=None) as batch_op:
        for column in ("charter_id", "version_id", "organisation_id", "recorded_by_id",
                       "territory_id"):
            batch_op.create_index(batch_op.f(f"ix_charter_agreement_{column}"), [column],
                                  unique=False)

    with op.batch_alter_table("decision_position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("on_behalf", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_decision_position_entered_by_id"), ["entered_by_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_decision_position_entered_by_id_user"), "user",
                                    ["entered_by_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_constraint(batch_op.f("ck_decision_position_position"), type_="check")
        batch_op.create_check_constraint("position", NEW_POSITIONS)
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopens_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_decision_reopens_id"), ["reopens_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_decision_reopens_id_decision"), "decision",
                                    ["reopens_id"], ["id"], ondelete="SET NULL")

    bind = op.get_bind()
    charter = sa.table("charter", sa.column("id", sa.Integer), sa.column("content", sa.JSON),
                       sa.column("adopted_content", sa.JSON))
    for row in bind.execute(sa.select(charter.c.id, charter.c.content, charter.c.adopted_content)):
        bind.execute(charter.update().where(charter.c.id == row.id).values(
            content=_as_the_charter_says(row.content),
            adopted_content=_as_the_charter_says(row.adopted_content)))


def downgrade():
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_decision_reopens_id_decision"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_decision_reopens_id"))
        batch_op.drop_column("reopens_id")
    op.execute("DELETE FROM decision_position WHERE position = 'absent'")
    with op.batch_alter_table("decision_position", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_decision_position_position"), type_="check")
        batch_op.create_check_constraint("position", OLD_POSITIONS)
        batch_op.drop_constraint(batch_op.f("fk_decision_position_entered_by_id_user"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_decision_position_entered_by_id"))
        batch_op.drop_column("on_behalf")
        batch_op.drop_column("entered_by_id")
    op.drop_table("charter_agreement")
    with op.batch_alter_table("charter_version", schema=None) as batch_op:
        batch_op.alter_column("adopting_instance", existing_type=sa.String(length=500),
                              type_=sa.String(length=200), existing_nullable=False)
    with op.batch_alter_table("charter", schema=None) as batch_op:
        batch_op.drop_column("scheduled_content")
        batch_op.drop_column("scheduled_on")
        batch_op.drop_column("scheduled_version")
