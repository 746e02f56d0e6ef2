"""Follow-up: progress of indicators and goals from observations, target levels and forecasts.

:func:`status` judges every indicator in every kommun by the Open SDG /
Statistics Canada progress measure (:mod:`goalgraph.followup.progress`),
rolls the statuses up the goal chain and puts the attainment forecasts
beside them; :func:`compare` sets several kommuner side by side. The method
is described in ``docs/followup.md``.

>>> from goalgraph import load
>>> report = status(load())
>>> report.indicators.empty, report.goals.empty
(True, True)
"""

from goalgraph.followup._compare import Comparison, compare
from goalgraph.followup._report import StatusReport
from goalgraph.followup._status import status

__all__ = ["Comparison", "StatusReport", "compare", "status"]
