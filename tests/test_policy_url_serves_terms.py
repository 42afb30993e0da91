"""A policy URL that serves the site's terms page for a while, through a real build from a WARC built here: the
terms captures make no policy version, and the coverage timeline shows those years as `other_legal`."""

from pathlib import Path

import duckdb
from test_build import write_warc

from pipelines.build import build

URL = "http://www.acme.example/privacy"
POLICY = """<html><head><title>Privacy Policy</title></head><body><nav>Home | About | Terms</nav><main>
<h1>Privacy Policy</h1><p>Last updated: March 3, 2018</p><p>This privacy policy explains how Acme collects and uses
your personal information.</p><h2>Information we collect</h2>
<p>We collect personal information such as your name and email address when you register.</p>
<h2>Sharing</h2><p>We share personal information with third parties who provide services to us.</p>
<h2>Your rights</h2><p>You have the right to access and delete your personal data. Contact privacy@acme.example.</p>
</main><footer>&copy; {year} Acme</footer></body></html>"""
TERMS = """<html><head><title>Terms of Service</title></head><body><nav>Home | About | Privacy</nav><main>
<h1>Terms of Service</h1><p>Last updated: May 1, 2019</p>
<p>These terms govern your use of the Acme service. By using the service you agree to these terms.</p>
<h2>Your account</h2><p>You are responsible for your account. We may suspend or terminate your account if you
violate these terms. You must not post unlawful content or harass other users.</p>
<h2>Liability</h2><p>The service is provided as is, without warranty of any kind. To the extent permitted by law,
Acme's liability is limited to the amount you paid us. You agree to indemnify Acme against claims arising from
your use of the service.</p>
<h2>Privacy</h2><p>Our Privacy Policy explains how we collect and use your personal information.</p>
<h2>Governing law</h2><p>These terms are governed by the laws of the State of New York; disputes go to binding
arbitration.</p></main><footer>&copy; {year} Acme</footer></body></html>"""


def test_a_policy_url_serving_the_terms_makes_no_version_and_shows_as_other_legal(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    write_warc(
        warc,
        [
            (URL, "2018-04-01T00:00:00Z", POLICY.format(year=2018).encode(), 200),
            (URL, "2019-06-01T00:00:00Z", TERMS.format(year=2019).encode(), 200),  # the URL serves the terms
            (URL, "2020-06-01T00:00:00Z", TERMS.format(year=2020).encode(), 200),
            (URL, "2021-06-01T00:00:00Z", POLICY.format(year=2021).encode(), 200),  # the policy is back
        ],
    )
    db = tmp_path / "w.duckdb"
    result = build(db, [warc])
    assert result["ok"], result
    con = duckdb.connect(str(db), read_only=True)
    types = con.execute(
        "select year(c.captured_at), d.page_type, d.is_policy from captures c "
        "join documents d using (payload_sha256) order by c.captured_at"
    ).fetchall()
    assert types == [
        (2018, "privacy_policy", True),
        (2019, "other_legal", False),
        (2020, "other_legal", False),
        (2021, "privacy_policy", True),
    ]
    # one version (the policy, copyright year aside), seen in 2018 and 2021; the terms make none
    versions = con.execute("select version_no, n_captures from policy_versions").fetchall()
    assert versions == [(1, 2)]
    in_versions = con.execute(
        "select year(c.captured_at) from capture_versions join captures c using (capture_id) order by 1"
    ).fetchall()
    assert in_versions == [(2018,), (2021,)]
    assert con.execute("select count(*) from site_timeline").fetchone()[0] == 1
    coverage = con.execute("select year, status, n_policy_captures from coverage_by_site_year order by year").fetchall()
    assert coverage == [
        (2018, "policy", 1),
        (2019, "other_legal", 0),
        (2020, "other_legal", 0),
        (2021, "policy", 1),
    ]
