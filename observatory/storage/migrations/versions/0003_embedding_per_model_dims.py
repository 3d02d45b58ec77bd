"""skill embeddings of any size: one HNSW index per vector size

The column held 384-dimension vectors only; the multilingual default (USE v3) gives 512. The column
becomes an unsized ``vector`` and each common size gets a partial expression HNSW index (pgvector
indexes one size per index). Existing 384-dimension vectors are kept as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here: a later change of the models' list needs its own migration.
DIMS = (384, 512, 768, 1024)


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_skill_embeddings_hnsw")
    op.execute("ALTER TABLE skill_embeddings ALTER COLUMN embedding TYPE vector")
    for dim in DIMS:
        op.execute(
            f"CREATE INDEX ix_skill_embeddings_hnsw_{dim} ON skill_embeddings "
            f"USING hnsw ((embedding::vector({dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 64) "
            f"WHERE vector_dims(embedding) = {dim}"
        )


def downgrade() -> None:
    for dim in DIMS:
        op.execute(f"DROP INDEX IF EXISTS ix_skill_embeddings_hnsw_{dim}")
    # Vectors of another size cannot go back into a 384-dimension column.
    op.execute("DELETE FROM skill_embeddings WHERE vector_dims(embedding) <> 384")
    op.execute("ALTER TABLE skill_embeddings ALTER COLUMN embedding TYPE vector(384)")
    op.execute(
        "CREATE INDEX ix_skill_embeddings_hnsw ON skill_embeddings "
        "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)"
    )
