import PostroomPostgres
import Testing

/// The store's SQLite statements in PostgreSQL's dialect (docs/STORE-SEAM.md's checklist).
@Suite struct PostgresDialectTests {
    func t(_ sql: String) -> String { PostgresDialect.translate(sql) }

    @Test func placeholdersAreNumberedAndNumberedOnesKeepTheirNumber() {
        #expect(t("SELECT a FROM x WHERE b = ? AND c = ?") == "SELECT a FROM x WHERE b = $1 AND c = $2")
        #expect(t("SELECT a FROM x WHERE b = ?1 OR c = ?1 AND d = ?2") == "SELECT a FROM x WHERE b = $1 OR c = $1 AND d = $2")
        // Quoted text is left alone.
        #expect(t("SELECT '?', \"rowid\" FROM x WHERE y LIKE ? ESCAPE '\\'") == "SELECT '?', \"rowid\" FROM x WHERE y LIKE $1 ESCAPE '\\'")
        #expect(t("SELECT 'it''s ?' FROM x WHERE y = ?") == "SELECT 'it''s ?' FROM x WHERE y = $1")
    }

    @Test func insertOrIgnoreAndReplaceBecomeOnConflict() {
        #expect(t("INSERT OR IGNORE INTO held_key (key, report_id) VALUES (?, ?)")
            == "INSERT INTO held_key (key, report_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        #expect(t("INSERT OR REPLACE INTO setting (name, value) VALUES (?, ?)")
            == "INSERT INTO setting (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
        #expect(t("INSERT OR REPLACE INTO view_key (type, id, version, record) VALUES (?, ?, ?, ?)")
            == "INSERT INTO view_key (type, id, version, record) VALUES ($1, $2, $3, $4) "
            + "ON CONFLICT (type, id, version) DO UPDATE SET record = excluded.record")
    }

    @Test func literalConditionsRowidAndTemp() {
        #expect(t("SELECT a FROM x WHERE 1 AND b = ?") == "SELECT a FROM x WHERE true AND b = $1")
        #expect(t("SELECT NULL WHERE 0") == "SELECT NULL WHERE false")
        #expect(t("SELECT a FROM x WHERE 1 = b") == "SELECT a FROM x WHERE 1 = b")
        #expect(t("SELECT a FROM x WHERE 10 > b") == "SELECT a FROM x WHERE 10 > b")
        #expect(t("SELECT a FROM x ORDER BY at, rowid") == "SELECT a FROM x ORDER BY at, seq")
        #expect(t("DELETE FROM temp.batch") == "DELETE FROM pg_temp.batch")
        #expect(t("SELECT tempo.a FROM tempo") == "SELECT tempo.a FROM tempo")
    }

    @Test func subqueriesInFromGetAnAliasWhenTheyHaveNone() {
        #expect(t("SELECT COUNT(*) FROM (SELECT 1 FROM x LIMIT ?)") == "SELECT COUNT(*) FROM (SELECT 1 FROM x LIMIT $1) AS _s1")
        #expect(t("SELECT MAX(v) FROM (SELECT a AS v FROM x UNION ALL SELECT b FROM y) ORDER BY 1")
            == "SELECT MAX(v) FROM (SELECT a AS v FROM x UNION ALL SELECT b FROM y) AS _s1 ORDER BY 1")
        #expect(t("SELECT COUNT(*) FROM (SELECT DISTINCT id FROM (SELECT id FROM x) LIMIT ?)")
            == "SELECT COUNT(*) FROM (SELECT DISTINCT id FROM (SELECT id FROM x) AS _s2 LIMIT $1) AS _s1")
        #expect(t("SELECT s.a FROM (SELECT a FROM x) s") == "SELECT s.a FROM (SELECT a FROM x) s")
        #expect(t("SELECT a FROM (SELECT a FROM x) AS s") == "SELECT a FROM (SELECT a FROM x) AS s")
    }
}
