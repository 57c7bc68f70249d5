"""quiz cards and reviews: the FSRS state per person and question, and every answer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:59:20.348668
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("fsrs_state", sa.JSON(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("question", sa.JSON(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_cards_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("owner_id", "question_id", name="uq_cards_owner_question"),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cards_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_public_id"), ["public_id"], unique=True)

    op.create_table(
        "reviews",
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_reviews_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_public_id"), ["public_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_reviews_question_id"), ["question_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_question_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_public_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_owner_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cards_public_id"))
        batch_op.drop_index(batch_op.f("ix_cards_owner_id"))
        batch_op.drop_index(batch_op.f("ix_cards_due"))

    op.drop_table("cards")
