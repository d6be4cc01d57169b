"""A small required-disclosures file and the project files that use it, for the coverage tests."""

from __future__ import annotations

from conftest import SITE_YML

DISCLOSURES_YML = """\
topics:
  controller-identity:
    title: Controller identity
    description: Who is responsible for the processing.
  categories-collected:
    title: Categories of personal data
    description: What is collected.
  retention:
    title: Retention period
    description: How long data is kept.
  international-transfers:
    title: International transfers
    description: Whether data leaves the country.
  joint-controllers:
    title: Joint-controller arrangement
    description: What joint controllers agreed.
jurisdictions:
  baseline:
    name: Shop baseline
    law: OECD Privacy Guidelines
    required:
    - topic: controller-identity
      cite: OECD Guidelines para. 12
      conditional: false
    - topic: categories-collected
      cite: OECD Guidelines para. 12
      conditional: false
  gdpr:
    name: GDPR
    law: Regulation (EU) 2016/679
    required:
    - topic: retention
      cite: GDPR Art. 13(2)(a)
      conditional: false
      note: Storage period or the criteria used to determine it.
    - topic: international-transfers
      cite: GDPR Art. 13(1)(f)
      conditional: true
    - topic: joint-controllers
      cite: GDPR Art. 26(2)
      conditional: true
      unverified: true
conditions:
  transfers-data-abroad:
    applies_when: personal data leaves the country where the individual lives.
    requires:
      gdpr: [international-transfers]
  has-joint-controllers:
    applies_when: we decide purposes and means jointly with another company.
    requires:
      gdpr: [joint-controllers]
"""

JURISDICTIONS_YML = """\
global:
  name: Worldwide
  languages: [en]
  disclosures: [baseline]
eu:
  name: European Union
  extends: global
  languages: [en]
  disclosures: [gdpr]
"""

RETENTION_MD = """\
---
id: retention
title: How long we keep your information
order: 30
jurisdictions: [eu]
topics: [retention]
---
We keep order records for six years.
"""

TRANSFERS_MD = """\
---
id: transfers
title: Transfers abroad
order: 40
jurisdictions: [global]
topics: [international-transfers]
---
Our servers are in Ireland.
"""

CONDITIONS = """\
conditions:
  transfers-data-abroad: true
  has-joint-controllers: false
"""

COVERED_FILES = {
    "policies/required-disclosures.yml": DISCLOSURES_YML,
    "policies/jurisdictions.yml": JURISDICTIONS_YML,
    "policies/site.yml": SITE_YML + CONDITIONS,
    "policies/clauses/retention.md": RETENTION_MD,
    "policies/clauses/transfers.md": TRANSFERS_MD,
}
"""Files that, over the base project, cover every requirement of both jurisdictions."""
