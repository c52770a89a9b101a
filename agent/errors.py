"""Errors a user can act on. The CLI prints `str(err)` as one line and exits with `err.exit_code`.

Exit codes (documented in the README):
  0 everything asked for was done
  1 the run finished but some papers failed or were skipped (see the summary)
  2 bad input: a file that cannot be read or parsed, a bad option; a store that is read-only, damaged or full
  3 a source could not be reached (network, HTTP errors after retries, too slow, too big, redirected away)
  3 also: the LLM endpoint could not be reached at all
  4 the LLM endpoint refused us for good (wrong key, unknown model, bad request)
  130 Ctrl-C, 143 SIGTERM (cli_common.handle_errors): finished papers saved, the run row closed
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.models import Usage


class SummarizeError(Exception):
    exit_code = 1

    def __init__(self, message: str = "", *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage  # what the failed work had spent (tokens, requests), for the run's totals


class InputError(SummarizeError):
    """A file or stream we cannot read; the message names the file and what was expected."""

    exit_code = 2


class SourceError(SummarizeError):
    """A remote source could not be reached or answered nonsense."""

    exit_code = 3


class EndpointError(SummarizeError):
    """The LLM endpoint refused the run (auth, model, request shape): retrying will not help."""

    exit_code = 4


class PaperFailed(SummarizeError):
    """One paper could not be summarised (after retries/re-asks). Recorded with its reason; the run goes on."""


class EndpointUnreachable(EndpointError):
    """The LLM endpoint could not be reached at all (refused connections, DNS): like a source, exit 3."""

    exit_code = 3
