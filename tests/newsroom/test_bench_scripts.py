"""What `make bench` and `make loadtest` conclude from their measurements (issue 17): the sizes
BENCH_N names, percentiles, the release minute's verdict, the render log's counts and the
growth from one size to the next. The measuring itself needs gunicorn and wrk and is run by CI
(`.ci/run`), not here."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from bench import best_round, parse_sizes  # noqa: E402
from bench_burst import Sample, count_renders, judge, percentile  # noqa: E402
from bench_report import checks, growth, problems_of  # noqa: E402

MINUTE = 1_800_000_000.0
PATHS = {
    "index": "/",
    "article": "/2027/01/15/neue-meldung/",
    "photo": "/fotos/7/abc.jpg",
    "rss": "/feed/rss/",
}


def steady(seconds=30, per_second=20, latency=0.01, kinds=tuple(PATHS)):
    """Answers all fresh and fast, `per_second` of them each second after MINUTE."""
    return [
        Sample(kinds[n % len(kinds)], MINUTE + n / per_second, latency, 200, True)
        for n in range(int(seconds * per_second))
    ]


def test_bench_n_takes_a_comma_separated_list_ascending_without_repeats():
    assert parse_sizes("20000") == [20000]
    assert parse_sizes("200000, 2000,20000,2000") == [2000, 20000, 200000]
    assert parse_sizes("200_000") == [200000]


@pytest.mark.parametrize("text", ["0", "2000,-5", "zwanzigtausend", "2000,,20000"])
def test_bench_n_refuses_what_is_not_a_positive_number(text):
    with pytest.raises(ValueError):
        parse_sizes(text)


def test_a_page_keeps_the_figures_of_its_fastest_round_and_every_rounds_speed():
    first = {"requests_per_second": 900.0, "p99_ms": 30.0}
    second = {"requests_per_second": 1100.0, "p99_ms": 20.0}
    third = {"requests_per_second": 1000.0, "p99_ms": 25.0}
    best = best_round(best_round(best_round(None, first), second), third)
    assert best == {
        "requests_per_second": 1100.0,
        "p99_ms": 20.0,
        "rounds_requests_per_second": [900.0, 1100.0, 1000.0],
    }


def test_percentiles_are_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([3.0], 0.99) == 3.0
    assert percentile([], 0.99) is None


def test_a_burst_without_errors_that_always_shows_the_new_article_passes():
    report = judge(steady(), MINUTE, 30, {path: {} for path in PATHS.values()}, PATHS)
    assert report["problems"] == []
    assert report["errors"] == 0 and report["missing_article"] == 0
    assert report["requests"] == 600
    assert report["pages"]["photo"]["requests"] == 150


def test_an_answer_without_the_article_to_a_request_sent_after_the_minute_fails_the_burst():
    samples = steady() + [Sample("index", MINUTE + 0.001, 0.01, 200, False)]
    report = judge(samples, MINUTE, 30, None, PATHS)
    assert report["missing_article"] == 1
    assert any("without the new article" in problem for problem in report["problems"])


def test_an_old_answer_to_a_request_sent_before_the_minute_is_allowed():
    samples = steady() + [Sample("index", MINUTE - 0.001, 0.05, 200, False)]
    report = judge(samples, MINUTE, 30, None, PATHS)
    assert report["missing_article"] == 0
    assert report["problems"] == []


@pytest.mark.parametrize(
    "failed",
    [
        Sample("rss", MINUTE + 3, 0.01, 500, False),
        Sample("photo", MINUTE + 3, 0.01, 404, False),
        Sample("index", MINUTE + 3, 10.0, 0, False, "TimeoutError"),
        Sample("article", MINUTE + 3, 0.001, 0, False, "ConnectionResetError"),
    ],
)
def test_an_error_or_a_socket_error_fails_the_burst(failed):
    report = judge(steady() + [failed], MINUTE, 30, None, PATHS)
    assert report["errors"] == 1
    assert any("1 errors" in problem for problem in report["problems"])


def test_the_article_shown_before_its_minute_fails_the_burst():
    early = [Sample("article", MINUTE - 2, 0.01, 200, True)]
    report = judge(steady(), MINUTE, 30, None, PATHS, early)
    assert report["shown_before_minute"] == 1
    assert any("before the minute" in problem for problem in report["problems"])


def test_a_first_five_seconds_more_than_five_times_slower_at_p99_is_reported_not_failed():
    samples = [
        Sample(s.kind, s.sent, 0.2 if s.sent < MINUTE + 5 else 0.03, 200, True) for s in steady()
    ]
    report = judge(samples, MINUTE, 30, None, PATHS)
    assert report["p99_first_ms"] == 200.0 and report["p99_rest_ms"] == 30.0
    assert report["p99_ratio"] == 6.67
    assert any("p99 of the first 5 s" in warning for warning in report["warnings"])
    assert report["problems"] == []
    calm = judge(steady(latency=0.03), MINUTE, 30, None, PATHS)
    assert calm["p99_ratio"] == 1.0 and calm["warnings"][-1].startswith("burst: no render log")


def test_renders_are_counted_per_worker_and_page_from_the_minute_on():
    log = [
        f"101\t{MINUTE - 1}\t/\n",  # before the minute: the old index
        f"101\t{MINUTE + 0.2}\t/\n",
        f"102\t{MINUTE + 0.3}\t/\n",
        f"102\t{MINUTE + 0.4}\t/feed/rss/\n",
        f"102\t{MINUTE + 0.5}\t/?page=2\n",  # not a page the article changed
        "a line of another shape\n",
    ]
    renders = count_renders(log, MINUTE, PATHS.values())
    assert renders["/"] == {101: 1, 102: 1}
    assert renders["/feed/rss/"] == {102: 1}
    assert renders[PATHS["article"]] == {}
    report = judge(steady(), MINUTE, 30, renders, PATHS)
    assert report["renders"]["index"] == {
        "path": "/", "total": 2, "workers": 2, "max_per_worker": 1
    }  # fmt: skip
    assert report["warnings"] == []


def test_a_page_rendered_twice_by_one_worker_after_the_minute_is_reported():
    log = [f"101\t{MINUTE + 0.2}\t/\n", f"101\t{MINUTE + 4}\t/\n"]
    report = judge(steady(), MINUTE, 30, count_renders(log, MINUTE, PATHS.values()), PATHS)
    assert report["renders"]["index"]["max_per_worker"] == 2
    assert report["warnings"] == ["burst: index rendered 2 times by one worker"]


def run(articles, index_rps, search_rps, index_queries=5, bare_share=0.7):
    pages = {"/ page 1": index_rps, "search common word (Jobcenter)": search_rps}
    return {
        "articles": articles,
        "queries": {"/ page 1": index_queries, "search common word (Jobcenter)": 3},
        "cache_on": {name: {"requests_per_second": 1000.0} for name in pages},
        "cache_off": {name: {"requests_per_second": rps} for name, rps in pages.items()},
        "uncached_share": {name: rps / 1000 for name, rps in pages.items()},
        "bare": {"cached_index_share": bare_share},
    }


def test_growth_marks_a_page_more_than_20_percent_slower_at_ten_times_the_articles():
    steps = growth([run(20000, 200.0, 50.0), run(200000, 150.0, 10.0)])
    index = steps[0]["pages"]["/ page 1"]
    assert (steps[0]["from"], steps[0]["to"]) == (20000, 200000)
    assert index["uncached_rps_change_pct"] == -25.0
    assert index["within_limit"] is False
    # Search is exempt: its work grows with the hits.
    assert steps[0]["pages"]["search common word (Jobcenter)"]["within_limit"] is None
    assert growth([run(20000, 200.0, 50.0), run(200000, 170.0, 50.0)])[0]["pages"][
        "/ page 1"
    ]["within_limit"]  # fmt: skip


def test_growth_marks_a_page_that_needs_more_queries_at_more_articles():
    steps = growth([run(20000, 200.0, 50.0), run(200000, 200.0, 50.0, index_queries=6)])
    assert steps[0]["pages"]["/ page 1"]["queries"] == [5, 6]
    assert steps[0]["pages"]["/ page 1"]["queries_unchanged"] is False


def test_the_targets_are_marked_missed_below_60_percent_of_bare_and_25_percent_cached():
    runs = [run(2000, 200.0, 200.0, bare_share=0.4)]
    lines = checks({"runs": runs, "growth": growth(runs)})
    assert "MISSED: 2000: cached index 0.4 of the bare WSGI app (target 0.6)" in lines
    assert "ok: 2000: / page 1 uncached 0.2 of cached (target 0.25)" not in lines
    assert "MISSED: 2000: / page 1 uncached 0.2 of cached (target 0.25)" in lines
    runs = [run(2000, 300.0, 300.0, bare_share=0.6)]
    assert all(line.startswith("ok:") for line in checks({"runs": runs, "growth": []}))


def test_bad_answers_to_new_searches_fail_the_bench():
    run = {
        "articles": 2000,
        "cache_on": {},
        "cache_off": {},
        "new_search": {"requests_per_second": 90.0, "non_2xx_3xx": 0, "socket_errors": ""},
    }
    report = {"runs": [run], "import_files": 0, "import_seconds": 0.0, "burst": None}
    assert problems_of(report) == []
    run["new_search"]["non_2xx_3xx"] = 3
    assert problems_of(report) == ["2000 new searches: 3 bad answers"]
