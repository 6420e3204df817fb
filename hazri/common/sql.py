"""Plain SQL for the few hottest statements of ingest, portable between SQLite and PostgreSQL.

Building a query with the ORM costs 0.4-1 ms of Python on a small CPU; running a
simple indexed one costs a tenth of that. A roll-call submit runs about fifteen, so
its reads and writes are written out here by hand, with parameters, and what comes
back is converted exactly as the ORM converts it (SQLite returns dates and times as
text, booleans as integers; PostgreSQL returns them typed). Everything else keeps
the ORM.

On PostgreSQL these statements go with server-side parameters, and psycopg prepares
each one that a connection has run 5 times (`prepare_threshold` in the settings;
HAZRI_PG_PREPARE=0 turns it off), so the server parses and plans it once: planning
them anew took more of PostgreSQL's time than running them (pg_stat_statements, a
single submit: ~1.3 ms planning, ~0.9 ms executing). The ORM's own queries keep
Django's client-side binding and are never prepared.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

M = TypeVar("M", bound=models.Model)


def _db() -> BaseDatabaseWrapper:
    """The default database's connection of this thread. `django.db.connection` is a
    proxy that looks it up again (a thread-local read) on every attribute; a batch of
    roll calls touched it thousands of times."""
    return connections[DEFAULT_DB_ALIAS]


def field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def param(model: type[models.Model], name: str, value: Any) -> Any:
    """`value` as the database stores `model.name` (a UUID as hex text on SQLite, an
    aware datetime as naive UTC text there), ready to pass as a parameter."""
    return param_of(field(model, name), value)


def param_of(column: Any, value: Any) -> Any:
    """`value` as the database stores this model field, ready to pass as a parameter."""
    return column.get_db_prep_value(value, _db(), prepared=False)


def params(model: type[models.Model], name: str, values: Iterable[Any]) -> list[Any]:
    db = _db()
    column = field(model, name)
    return [column.get_db_prep_value(value, db, prepared=False) for value in values]


def placeholders(values: Sequence[Any]) -> str:
    """The placeholders of an IN list: `%s, %s, %s`. Never empty: SQLite takes `IN ()`,
    PostgreSQL refuses it, so the tests on SQLite must fail too."""
    if not values:
        raise ValueError("an empty IN list")
    return ", ".join(["%s"] * len(values))


def among(column: str, ids: str) -> str:
    """`column` is one of the ids a subquery gives, as a condition that finds each of
    them by the column's index. PostgreSQL may answer `id IN (subquery)` with a hash
    of the subquery and a scan of the whole table, and a prepared statement keeps
    that plan whatever the table grows to; `id = ANY(ARRAY(subquery))` is an index
    condition. SQLite looks each id up either way."""
    if _db().vendor == "postgresql":
        return f"{column} = ANY(ARRAY({ids}))"
    return f"{column} IN ({ids})"


def ids_by_key(
    model: type[models.Model], names: Sequence[str], keys: Iterable[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """The id of each key's row, for the keys that have one: each key (prepared values
    of the fields `names`, the columns of a unique index) looked up on its own by
    equality, so the index fits whatever the statistics say. Written as one IN list a
    column, PostgreSQL took the first column's index and compared every row under it
    with all the values of the second (docs/development.md)."""
    fields = [field(model, name) for name in names]
    keys = sorted(set(keys))
    if not keys:
        return {}
    quote = _db().ops.quote_name
    columns_ = [quote(f.column) for f in fields]
    source, args = rows_source(fields, keys)
    same = " AND ".join(f"t.{c} = k.{c}" for c in columns_)
    rows = select(
        f"WITH k ({', '.join(columns_)}) AS ({source}) "
        f"SELECT (SELECT t.{quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} t "
        f"WHERE {same}), {', '.join(f'k.{c}' for c in columns_)} FROM k",
        args,
        [None] * (len(fields) + 1),
    )
    return {tuple(key): pk for pk, *key in rows if pk is not None}


def for_update() -> str:
    """` FOR UPDATE` where the database locks rows (SQLite locks the whole database
    when a write transaction begins: see the settings' transaction_mode)."""
    return " FOR UPDATE" if _db().features.has_select_for_update else ""


def columns(model: type[models.Model], alias: str) -> str:
    """Every column of the model, for a SELECT that loads whole instances."""
    return _columns(_db().vendor, model, alias)


@functools.cache
def _columns(vendor: str, model: type[models.Model], alias: str) -> str:
    quote = _db().ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


@functools.cache
def _converters(vendor: str, fields: tuple[Any, ...]) -> tuple[tuple[int, Any, list[Any]], ...]:
    db = _db()
    found = []
    for index, column_field in enumerate(fields):
        if column_field is None:
            continue
        column = column_field.get_col(column_field.model._meta.db_table)
        converters = db.ops.get_db_converters(column) + column.get_db_converters(db)
        if converters:
            found.append((index, column, converters))
    return tuple(found)


def _convert(rows: list[Any], fields: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    db = _db()
    converters = _converters(db.vendor, fields)
    if not converters:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for index, column, functions in converters:
            value = values[index]
            for function in functions:
                value = function(value, column, db)
            values[index] = value
        out.append(tuple(values))
    return out


def cursor() -> CursorWrapper:
    """A cursor for these statements: Django's wrapper (its errors, its query log for
    the tests' query counts) around, on PostgreSQL, a server-side binding cursor."""
    db = _db()
    if db.vendor != "postgresql":
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        raw = _server_binding_cursor()(db.connection)
    if db.queries_logged:
        return _LoggedCursor(raw, db)
    return db.make_cursor(raw)


class _LoggedCursor(CursorDebugWrapper):
    """Logs a prepared statement with its values in place (Django would log its `$1`
    form), as it logs its own: the tests and benchmarks read and EXPLAIN the log."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


@functools.cache
def _server_binding_cursor() -> type:
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )

    return ServerBindingCursor  # type: ignore[no-any-return]


def select(sql: str, args: Sequence[Any], fields: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of a query, column i converted as the ORM converts `fields[i]` (a model
    field; None leaves the value as the driver gives it: ints, text, counts)."""
    with cursor() as cursor_:
        cursor_.execute(sql, args)
        rows = cursor_.fetchall()
    return _convert(rows, tuple(fields))


def execute(sql: str, args: Sequence[Any]) -> int:
    """Run a write; the number of rows it touched."""
    with cursor() as cursor_:
        cursor_.execute(sql, args)
        return int(cursor_.rowcount)


def model_fields(model: type[models.Model]) -> list[Any]:
    return list(model._meta.concrete_fields)


def instance(model: type[M], values: Sequence[Any] | Mapping[str, Any]) -> M:
    """A model instance, as the ORM would load it, from the converted values of
    `columns(model, …)` in that order, or from every column's value by attname."""
    names = _attnames(model)
    if isinstance(values, Mapping):
        return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])
    return model.from_db(DEFAULT_DB_ALIAS, names, list(values))


@functools.cache
def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """INSERT rows of one model in one statement; their new ids, in order (RETURNING:
    PostgreSQL, SQLite 3.35+). Each row maps every column but the id, by attname
    (`school_id`), to its Python value: nothing is defaulted. Values are prepared as the
    ORM prepares them, except those that the driver takes as they are."""
    db = _db()
    if not rows:
        return []
    fields = _insertable(model)
    taken = _taken_as_is(db.vendor, model)
    prepared = [
        [
            value
            if type(value := row[f.attname]) in as_is
            and (type(value) is not dt.datetime or value.tzinfo is not None)
            else f.get_db_prep_save(value, db)
            for f, as_is in zip(fields, taken, strict=True)
        ]
        for row in rows
    ]
    quote = db.ops.quote_name
    source, args = rows_source(fields, prepared)
    with cursor() as cursor_:
        cursor_.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) {source} "
            f"RETURNING {quote(model._meta.pk.column)}",
            args,
        )
        return [row[0] for row in cursor_.fetchall()]


def rows_source(fields: Sequence[Any], rows: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    """Rows of values (prepared values of `fields`, a model field each) to INSERT, or to
    name in a WITH as a table of keys, as SQL and its parameters: `VALUES (%s, …), (%s,
    …)`, or on PostgreSQL for more than one row `SELECT * FROM unnest(%s::integer[], …)`
    with one array a column, as Django's bulk_create does there. A statement with a placeholder a value costs the driver a
    scan of its text (~4 ms for 25 roll calls of 22 columns) and the server a plan of
    that size; with arrays the text is the same whatever the count. Rows come back
    from RETURNING in the order given either way. Run it through cursor() (`%b` needs
    server-side parameters)."""
    if _db().vendor != "postgresql" or len(rows) < 2:
        values = ", ".join(f"({placeholders(row)})" for row in rows)
        return f"VALUES {values}", [value for row in rows for value in row]
    # %b: each array goes in binary (psycopg), not as text that it scans for what to quote.
    arrays = ", ".join(f"%b::{kind}[]" for kind in _array_types(tuple(fields)))
    return f"SELECT * FROM unnest({arrays})", [list(column) for column in zip(*rows, strict=True)]


@functools.cache
def _array_types(fields: tuple[Any, ...]) -> tuple[str, ...]:
    # Without a length: `varchar[]`, never `varchar(40)[]`, so nothing is cut short.
    return tuple(f.db_type(_db()).split("(")[0] for f in fields)


# Values the database driver takes as they are: for integer, boolean and text columns
# (and foreign keys to integer ids) Django's preparation hands them back unchanged, and
# on PostgreSQL also dates, aware datetimes and UUIDs (psycopg adapts them); preparing
# every column of every row through the field costs ~50 µs a roll call.
_PLAIN = (models.IntegerField, models.BooleanField, models.CharField, models.TextField)
_NATIVE = {
    models.DateTimeField: dt.datetime,
    models.DateField: dt.date,
    models.UUIDField: uuid.UUID,
}


@functools.cache
def _insertable(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if f is not model._meta.pk]


@functools.cache
def _taken_as_is(vendor: str, model: type[models.Model]) -> list[frozenset[type]]:
    """For each insertable field, the Python types passed to the driver unprepared."""
    out: list[frozenset[type]] = []
    for f in _insertable(model):
        target = f.target_field if f.is_relation else f
        if isinstance(target, _PLAIN):
            out.append(frozenset({int, str, bool, type(None)}))
        elif vendor == "postgresql" and type(target) in _NATIVE:
            out.append(frozenset({_NATIVE[type(target)], type(None)}))
        else:
            out.append(frozenset())
    return out
