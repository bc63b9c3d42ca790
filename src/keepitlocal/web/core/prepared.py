"""A lookup whose SQL the ORM builds once, for the few public pages that run under load.

    find_link = PreparedLookup(
        lambda token_hash, purpose: SurveyLink.objects.select_related("organisation")
        .filter(token_hash=token_hash, purpose=purpose),
        token_hash=str, purpose=str,
    )
    link = find_link.first(token_hash=h, purpose="lm3-supplier")   # a SurveyLink or None

Building a query's SQL is most of what a small ORM lookup costs: about 0.5 to 1 ms here, while
the database answers an indexed lookup in a few hundredths of that. A survey link is opened by
hundreds of suppliers at once, so the survey pages build each lookup's SQL once per thread (with
placeholder values of the declared types) and then only execute it. Rows come back through the
ORM's own converters and `select_related` populators, so the objects are the ones
`queryset.first()` would give.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Field, Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # what ModelIterable uses
    get_related_populators,
)

M = TypeVar("M", bound=Model)
_MARKERS = itertools.count(1)


class PreparedLookup(Generic[M]):
    """`build(**values)` is a queryset of one model (select_related and annotations allowed);
    `types` names each value and its type (str or int), so that placeholders can be found in the
    built SQL."""

    def __init__(self, build: Callable[..., QuerySet[M]], **types: type) -> None:
        unsupported = {name: kind for name, kind in types.items() if kind not in (str, int)}
        if unsupported:
            raise TypeError(f"PreparedLookup takes str and int values only, not {unsupported}")
        self.build = build
        self.types = types
        self._local = threading.local()

    def first(self, **values: Any) -> M | None:
        """The first row in primary-key order, as `build(**values).first()` would give."""
        if values.keys() != self.types.keys():
            raise TypeError(f"expected values for {sorted(self.types)}, got {sorted(values)}")
        for name, kind in self.types.items():
            if not isinstance(values[name], kind):
                raise TypeError(f"{name} must be {kind.__name__}")
        compiled = self._compiled()
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = values[name]
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        return None if row is None else compiled.instance(row)

    def _compiled(self) -> _Compiled[M]:
        compiled: _Compiled[M] | None = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = _Compiled(self.build, self.types)
        return compiled


class _Compiled(Generic[M]):
    """The SQL with placeholder values, where each value goes, and how a row becomes objects."""

    def __init__(self, build: Callable[..., QuerySet[M]], types: dict[str, type]) -> None:
        markers = {name: _marker(kind) for name, kind in types.items()}
        queryset = build(**markers).order_by("pk")[:1]
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        self.sql, self.params = sql, tuple(params)
        self.slots: list[tuple[int, str]] = []
        for name, marker in markers.items():
            found = [i for i, value in enumerate(self.params) if value == marker]
            if len(found) != 1:
                raise ValueError(f"the value {name} must appear once in the query's parameters")
            self.slots.append((found[0], name))
        self.compiler = compiler
        klass_info = compiler.klass_info
        if klass_info is None:
            raise ValueError("PreparedLookup takes a model queryset")
        self.annotations = dict(compiler.annotation_col_map or {})
        self.model: type[M] = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        own = compiler.select[self.start:self.end]
        self.init_list = [column[0].target.attname for column in own]
        self.populators = get_related_populators(klass_info, compiler.select, DEFAULT_DB_ALIAS)
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[: compiler.col_count]]
        )

    def instance(self, row: tuple[Any, ...]) -> M:
        converted = next(iter(self.compiler.apply_converters([row], self.converters)))
        obj = self.model.from_db(DEFAULT_DB_ALIAS, self.init_list,
                                 converted[self.start:self.end])
        for populator in self.populators:
            populator.populate(converted, obj)
        for name, position in self.annotations.items():
            setattr(obj, name, converted[position])
        return obj


def _marker(kind: type) -> Any:
    """A value no real lookup uses, so its place in the parameters is unambiguous."""
    number = next(_MARKERS)
    return f"\x00prepared-lookup-{number}\x00" if kind is str else -(10**15) - number


@dataclass(frozen=True)
class Touch:
    """Set one column of one other row in the same write as an upsert (a link's last use)."""

    model: type[Model]
    pk: Any
    field: str
    value: Any


def upsert(obj: Model, *, unique: tuple[str, ...], update: tuple[str, ...],
           touch: Touch | None = None) -> None:
    """INSERT `obj`, or on a clash of its `unique` fields UPDATE only the `update` fields, in one
    statement and in the caller's transaction (autocommit if none).

    What `bulk_create(update_conflicts=True)` writes, without its own BEGIN and COMMIT and without
    building the statement again for every answer; SQLite and PostgreSQL both read this form.
    Two answers at once from one supplier leave exactly one row: the later wins.

    `touch` is written with it, both or neither: on PostgreSQL in the same statement (an UPDATE
    in a WITH clause), so an answer costs one round trip and one commit; SQLite has no writing
    WITH clause, so there the two statements share one transaction.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    statements = _upsert_sql(type(obj), unique, update, touch, connection)
    fields = [field for field in obj._meta.concrete_fields if not field.primary_key]
    params = [field.get_db_prep_save(field.pre_save(obj, add=True), connection)
              for field in fields]
    touched = [] if touch is None else [
        _field(touch).get_db_prep_save(touch.value, connection), touch.pk]
    if len(statements) == 1:  # the touch, if any, in the WITH clause before the INSERT
        with connection.cursor() as cursor:
            cursor.execute(statements[0], touched + params)
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(statements[0], params)
        cursor.execute(statements[1], touched)


def _field(touch: Touch) -> Field[Any, Any]:
    field = touch.model._meta.get_field(touch.field)
    if not isinstance(field, Field):
        raise TypeError(f"{touch.field} is not a column of {touch.model.__name__}")
    return field


def _upsert_sql(model: type[Model], unique: tuple[str, ...], update: tuple[str, ...],
                touch: Touch | None, connection: Any) -> tuple[str, ...]:
    """The statements, built once per model, fields, touched column and database: one, or on
    SQLite with a touch the upsert and then the touch's UPDATE."""
    key = (model, unique, update, touch and (touch.model, touch.field), connection.vendor)
    statements = _UPSERTS.get(key)
    if statements is None:
        meta, quote = model._meta, connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        columns = {field.name: quote(field.column) for field in fields}
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns.values())}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(columns[name] for name in unique)}) DO UPDATE SET "
            + ", ".join(f"{columns[name]} = EXCLUDED.{columns[name]}" for name in update)
        )
        statements = (sql,)
        if touch is not None:
            touched = touch.model._meta
            assert touched.pk is not None
            touch_sql = (f"UPDATE {quote(touched.db_table)} SET {quote(_field(touch).column)} "
                         f"= %s WHERE {quote(touched.pk.column)} = %s")
            statements = ((f"WITH touched AS ({touch_sql}) {sql}",)
                          if connection.vendor == "postgresql" else (sql, touch_sql))
        _UPSERTS[key] = statements
    return statements


_UPSERTS: dict[tuple[Any, ...], tuple[str, ...]] = {}
