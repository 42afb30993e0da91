"""Deterministic sample web archive of fictional privacy-policy captures, with ground truth.

The sample exists so every pipeline stage can be tested offline against known answers:
five fictional ``.example`` sites whose policies evolve 2005-2025 through regulatory eras
(Safe Harbor -> Privacy Shield -> SCCs -> Data Privacy Framework, GDPR, CCPA -> CPRA),
served through changing page templates, plus the awkward records real archives contain
(a windows-1252 page without a declared charset, a 404, a 301 after a URL move, a
homepage capture and a WARC ``revisit`` record).

From data to files: ``library`` reads the sites and the policy sections (``data/*.toml``) into the
``model``; ``history`` dates each site's policy versions and picks their wordings; ``captures`` plans
the crawl (when, which template, which awkward records); ``render`` writes the HTML; ``archive``
(``write_sample``) writes the WARC, ``sources.toml`` and the ground truth.

Ground truth conventions:

* ``kind=markup_change`` marks the first capture after a site redesign (new template) inside
  an unchanged policy version; yearly copyright / cookie-banner differences stay ``policy``.
* The revisit record stands for the policy payload it refers to, so it is ``is_policy=true``
  and carries that capture's version.
* ``truth_paragraphs.jsonl`` ``position`` is 0-based in document order and includes the
  "Last updated" line (with no practices); ``heading`` is the nearest preceding heading or null.

Run ``python -m pipelines.sample OUT_DIR [SEED]`` to write the files.
"""
