"""Where papers come from.

files.iter_source(path)            papers (or InputErrors) from a file or "-" (stdin), format sniffed
huggingface.fetch_day(day, latest)  (papers, Report) for `summarize today`
huggingface.search(query)           (papers, Report) for `summarize search`
arxiv.newest(categories, max)       (papers, Report) for `summarize arxiv`

Network functions raise SourceError (exit 3) when a source cannot be reached or answers nonsense;
items a source lists but we cannot use are lines in Report.problems, never dropped silently.
"""
