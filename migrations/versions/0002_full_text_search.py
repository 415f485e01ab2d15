"""full-text search indexes (SQLite FTS5 / PostgreSQL tsvector + GIN)

Revision ID: 0002_full_text_search
Revises: 26dfafbd3a8d
Create Date: 2026-11-27 09:00:00

The statements live in app.models.search_index so tests (create_all) and the migration
build the same objects; they are dialect-specific and invisible to autogenerate.
"""

from alembic import op

from app.models import search_index

revision = "0002_full_text_search"
down_revision = "26dfafbd3a8d"
branch_labels = None
depends_on = None


def upgrade():
    search_index.create_objects(op.get_bind(), rebuild=True)


def downgrade():
    search_index.drop_objects(op.get_bind())
