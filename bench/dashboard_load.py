"""Bulk loading for the dashboard benchmark: COPY on PostgreSQL, executemany on SQLite,
with a table's secondary indexes and constraints dropped while loading and put back."""

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction


class Loader:
    """Rows into a table as fast as the database takes them."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.pg = connection.vendor == "postgresql"

    def stamp(self, day: str, minutes_utc: int) -> str:
        text = f"{day} {minutes_utc // 60:02d}:{minutes_utc % 60:02d}:00"
        return text + "+00" if self.pg else text

    def next_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            return int(cursor.fetchone()[0])

    def load(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], rebuild=False
    ) -> int:
        count = 0
        with transaction.atomic():
            restore = self._drop_indexes(table) if rebuild else []
            if self.pg:
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:  # a big page cache while loading, the default one afterwards
                connection.connection.execute("PRAGMA cache_size = -262144")
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                cursor = connection.connection.cursor()
                pending = iter(rows)
                while batch := list(itertools.islice(pending, 50_000)):
                    cursor.executemany(sql, batch)
                    count += len(batch)
                connection.connection.execute("PRAGMA cache_size = -2000")
            with connection.cursor() as cursor:
                for statement in restore:
                    cursor.execute(statement)
                if self.pg and "id" in columns:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
        return count

    def _drop_indexes(self, table: str) -> list[str]:
        """Drop the secondary indexes (and on PostgreSQL the unique and foreign-key
        constraints); return the statements that put them back."""
        restore = []
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                    "WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                indexes = cursor.fetchall()
                for name, definition in constraints:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            else:  # SQLite: unique constraints live in the table; named indexes go
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                indexes = cursor.fetchall()
            for name, definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
                restore.insert(0, definition)
        return restore
