import GRDB

extension Schema {
    /// `v14-drop-tally`: The drops by channel and outcome (`StoreReader.dropCounts`, which `status`, the web page's
    /// overview and every `metrics.prom` read) are kept in `drop_tally` by triggers on `drop_file`, instead of being
    /// counted from the whole table each time: a store of 1,000,000 drops took 3.3 s to count, at the end of every
    /// run and on every page load. A row's key is its channel and `COALESCE(outcome, state)`, as the count grouped;
    /// the triggers keep it exact through every INSERT, UPDATE and DELETE of `drop_file`, whoever makes it (settling,
    /// reprocessing, pruning, older builds). Not through `INSERT OR REPLACE`, which the store never uses on
    /// `drop_file`: with recursive triggers off, SQLite does not fire the delete trigger for a replaced row.
    static func v14DropTally(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE drop_tally (
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (channel, outcome)
            ) WITHOUT ROWID;
            INSERT INTO drop_tally (channel, outcome, count)
                SELECT channel, COALESCE(outcome, state), COUNT(*) FROM drop_file GROUP BY 1, 2;
            CREATE TRIGGER drop_tally_insert AFTER INSERT ON drop_file BEGIN
                INSERT INTO drop_tally (channel, outcome, count) VALUES (NEW.channel, COALESCE(NEW.outcome, NEW.state), 1)
                    ON CONFLICT (channel, outcome) DO UPDATE SET count = count + 1;
            END;
            CREATE TRIGGER drop_tally_delete AFTER DELETE ON drop_file BEGIN
                UPDATE drop_tally SET count = count - 1 WHERE channel = OLD.channel AND outcome = COALESCE(OLD.outcome, OLD.state);
            END;
            CREATE TRIGGER drop_tally_update AFTER UPDATE OF channel, outcome, state ON drop_file
                WHEN OLD.channel IS NOT NEW.channel OR COALESCE(OLD.outcome, OLD.state) IS NOT COALESCE(NEW.outcome, NEW.state)
            BEGIN
                UPDATE drop_tally SET count = count - 1 WHERE channel = OLD.channel AND outcome = COALESCE(OLD.outcome, OLD.state);
                INSERT INTO drop_tally (channel, outcome, count) VALUES (NEW.channel, COALESCE(NEW.outcome, NEW.state), 1)
                    ON CONFLICT (channel, outcome) DO UPDATE SET count = count + 1;
            END;
            """)
    }
}
