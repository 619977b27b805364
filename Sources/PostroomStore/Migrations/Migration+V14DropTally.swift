import GRDB

extension Schema {
    /// `v14-drop-tally`: The drops by channel and outcome (`StoreReader.dropCounts`, which `status`, the web page's
    /// overview and every `metrics.prom` read) are no longer counted from the whole table each time: a store of
    /// 1,000,000 drops took 3.3 s to count, at the end of every run and on every page load. The decided drops
    /// (`outcome` set) are kept in `drop_tally` by triggers on `drop_file`; the few undecided ones (claimed, or done
    /// without a decision) are counted through the `outcome` index. Only a change of `channel` or `outcome` fires a
    /// trigger, so of a drop's writes only its decision does (~2 µs): builds before 1c6af54 inserted every drop
    /// undecided; later ones insert a drop settled in its group's transaction already decided, which the insert
    /// trigger counts. The triggers keep the tally exact through every INSERT, UPDATE
    /// and DELETE of `drop_file`, whoever makes it (settling, reprocessing, pruning, older builds). Not through
    /// `INSERT OR REPLACE`, which the store never uses on `drop_file`: with recursive triggers off, SQLite does not
    /// fire the delete trigger for a replaced row.
    static func v14DropTally(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE drop_tally (
                channel TEXT NOT NULL,
                outcome TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (channel, outcome)
            ) WITHOUT ROWID;
            INSERT INTO drop_tally (channel, outcome, count)
                SELECT channel, outcome, COUNT(*) FROM drop_file WHERE outcome IS NOT NULL GROUP BY 1, 2;
            CREATE TRIGGER drop_tally_insert AFTER INSERT ON drop_file WHEN NEW.outcome IS NOT NULL BEGIN
                INSERT INTO drop_tally (channel, outcome, count) VALUES (NEW.channel, NEW.outcome, 1)
                    ON CONFLICT (channel, outcome) DO UPDATE SET count = count + 1;
            END;
            CREATE TRIGGER drop_tally_delete AFTER DELETE ON drop_file WHEN OLD.outcome IS NOT NULL BEGIN
                UPDATE drop_tally SET count = count - 1 WHERE channel = OLD.channel AND outcome = OLD.outcome;
            END;
            CREATE TRIGGER drop_tally_update AFTER UPDATE OF channel, outcome ON drop_file
                WHEN OLD.channel IS NOT NEW.channel OR OLD.outcome IS NOT NEW.outcome
            BEGIN
                UPDATE drop_tally SET count = count - 1 WHERE channel = OLD.channel AND outcome = OLD.outcome;
                INSERT INTO drop_tally (channel, outcome, count) SELECT NEW.channel, NEW.outcome, 1 WHERE NEW.outcome IS NOT NULL
                    ON CONFLICT (channel, outcome) DO UPDATE SET count = count + 1;
            END;
            """)
    }
}
