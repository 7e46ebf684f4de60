"""The ledger interface (:class:`LedgerStore`), its value types and :class:`LedgerError`."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Literal, Protocol

from attrs import frozen

from ...errors import AssistkitError
from ...household import Fund
from ...money import ZERO, format_money

__all__ = [
    "AllocationLike",
    "CommittedAllocation",
    "LedgerError",
    "LedgerStore",
    "Statement",
    "StatementLine",
    "determination_id",
]


class LedgerError(AssistkitError, ValueError):
    """The ledger refused an operation: a commit that would take a fund below zero, a determination id
    already committed with other allocations, an unknown fund, an amount that is not money. Nothing of the
    refused operation is recorded."""


def determination_id(household: str, on: dt.date) -> str:
    """The id under which a determination's allocations are committed: ``"<household>:<on>"``.

    One household is matched once per assessment date, so the pair identifies the determination; committing
    it again is a no-op (and committing other allocations under it is refused).
    """
    return f"{household}:{on.isoformat()}"


class AllocationLike(Protocol):
    """What a commit records per allocation: ``amount`` yuan from fund ``fund`` toward need ``need``."""

    @property
    def fund(self) -> str: ...

    @property
    def need(self) -> str: ...

    @property
    def amount(self) -> Decimal: ...


@frozen
class CommittedAllocation:
    """An allocation as the ledger holds it, with the fund's balance just before it."""

    fund: str
    need: str
    amount: Decimal
    balance_before: Decimal


@frozen
class StatementLine:
    """One entry on a fund's account: the transaction, what it was, the amounts and the running balance.

    The fund account is credited by its opening balance and debited by each allocation.
    """

    seq: int
    transaction: str
    kind: Literal["opening", "allocation"]
    household: str | None
    on: dt.date | None
    need: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal


@frozen
class Statement:
    """A fund's account read back from the ledger: every entry in order with the running balance."""

    fund: str
    name: str
    lines: tuple[StatementLine, ...]

    @property
    def balance(self) -> Decimal:
        """The balance after the last entry."""
        return self.lines[-1].balance if self.lines else ZERO

    @property
    def opening(self) -> Decimal:
        return sum((line.credit for line in self.lines if line.kind == "opening"), ZERO)

    @property
    def allocated(self) -> Decimal:
        return sum((line.debit for line in self.lines if line.kind == "allocation"), ZERO)

    def text(self) -> str:
        """The statement as a plain-text table."""
        head = f"fund {self.fund} {self.name}".rstrip()
        columns = f"{'#':>6}  {'transaction':<28} {'need':<10} {'debit':>12} {'credit':>12} {'balance':>12}"
        rows = [head, columns]
        for line in self.lines:
            rows.append(f"{line.seq:>6}  {line.transaction:<28} {line.need or '-':<10} "
                        f"{format_money(line.debit):>12} {format_money(line.credit):>12} "
                        f"{format_money(line.balance):>12}")
        rows.append(f"balance {format_money(self.balance)}")
        return "\n".join(rows) + "\n"


class LedgerStore(ABC):
    """A persistent fund ledger in double entry (§13.3: every allocation is recorded).

    Accounts: ``fund:<id>`` holds a fund's money; ``donor:<id>`` is the source its opening balance came from;
    ``need:<household>:<need>`` receives allocations. Opening a fund debits its donor account and credits the
    fund account; each allocation debits the fund account and credits the need account. A fund account never
    goes below zero.

    Implementations must make :meth:`commit` one atomic transaction (all of a determination's allocations or
    none, also when the process dies in the middle) and idempotent by determination id. :class:`SqliteLedger`
    is the reference; another store (e.g. PostgreSQL) implements the same methods and callers do not change.
    """

    @abstractmethod
    def open_funds(self, funds: Iterable[Fund]) -> Mapping[str, Decimal]:
        """Open each fund not yet in the ledger with an opening entry of its ``balance``; a fund already open
        keeps its ledger balance (the file's balance is then ignored). Returns the ledger balance of each
        given fund, by id, in the order given."""

    @abstractmethod
    def commit(self, determination: str, household: str, on: dt.date,
               allocations: Sequence[AllocationLike]) -> bool:
        """Record the allocations of one determination as one transaction; ``True`` if recorded now, ``False``
        if this determination id was already committed with the same allocations (nothing changes).

        Raises :class:`LedgerError` — recording nothing — when a fund is not open, an amount is not positive
        money, the id was committed with other allocations, or a fund's balance would go below zero.
        """

    @abstractmethod
    def committed(self, determination: str) -> tuple[CommittedAllocation, ...] | None:
        """The allocations committed under ``determination``, in order; ``None`` if it was never committed."""

    @abstractmethod
    def balance(self, fund: str) -> Decimal:
        """The balance of fund ``fund``; :class:`LedgerError` if it is not open."""

    @abstractmethod
    def balances(self) -> dict[str, Decimal]:
        """The balance of every open fund, by id."""

    @abstractmethod
    def statement(self, fund: str) -> Statement:
        """Every entry of fund ``fund``'s account in order, with the running balance."""

    @abstractmethod
    def check(self) -> list[str]:
        """Problems with the books (empty when sound): every transaction balances (debits = credits), each
        account's balance equals the sum of its entries, and no fund is below zero."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
