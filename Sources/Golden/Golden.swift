// Golden: golden-case and vectors loading, structural diff, reports, record and redaction. Depends on JSON only.
