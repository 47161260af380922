// MockTikTok: the mock TikTok Events API (endpoints, contract validation, fault rules, journal, admin API).
