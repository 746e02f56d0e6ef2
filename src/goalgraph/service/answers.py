"""The service's JSON answers of reports and deltas, each finding serialised once.

A change leaves nearly every finding as it was (the Validator keeps the same
result objects), so the JSON of a finding is kept from one answer to the next
and a report of thousands of findings is joined, not serialised again. The
answers are compact JSON, equal as data to ``ValidationReport.to_json`` and
``ValidationDelta.to_json``.

>>> from goalgraph.validation import ValidationReport
>>> ReportJson().report(ValidationReport(results=(), engine="fast", lang="sv"))[-14:]
'"results": []}'
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from goalgraph.validation import ValidationDelta, ValidationReport, ValidationResult

__all__ = ["ReportJson"]

_EMPTY = '"results": []}'
_LAST = '"report": null}'


class ReportJson:
    """Serialises reports and deltas, keeping the JSON of the findings of the last report."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: id of a finding -> (the finding, kept alive so that its id is not reused; its JSON)
        self._known: dict[int, tuple[ValidationResult, str]] = {}

    def report(self, report: ValidationReport) -> str:
        """The JSON of *report* (as ``report.to_json()``, compact)."""
        text = _dumps(report.to_dict(with_results=False))
        assert text.endswith(_EMPTY)  # "results" is the last field
        return text[: -len(_EMPTY)] + '"results": [' + ",".join(self._results(report)) + "]}"

    def delta(self, delta: ValidationDelta, *, report: bool = True) -> str:
        """The JSON of *delta* (as ``delta.to_json()``, compact), without its report if not
        *report* (the schema makes it optional)."""
        data = delta.to_dict(with_report=False)
        if not report:
            return _dumps(data)
        text = _dumps(data | {"report": None})
        assert text.endswith(_LAST)  # "report" is the last field
        return text[: -len(_LAST)] + '"report": ' + self.report(delta.report) + "}"

    def _results(self, report: ValidationReport) -> list[str]:
        with self._lock:
            known = self._known
            kept: dict[int, tuple[ValidationResult, str]] = {}
            for result in report.results:
                entry = known.get(id(result))
                if entry is None or entry[0] is not result:
                    entry = (result, _dumps(result.to_dict()))
                kept[id(result)] = entry
            self._known = kept
            return [kept[id(result)][1] for result in report.results]


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
