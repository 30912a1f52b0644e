package org.jobstack.node;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Finished attempts per node and minute ({@code node_throughput}), summed over the cluster for the chart. */
@Repository
class ThroughputStore {

    private final JdbcClient jdbc;

    ThroughputStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds to a node's counts of a minute (since the epoch). */
    void add(String nodeId, long minute, long done, long errored) {
        int updated = jdbc.sql("""
                        UPDATE node_throughput SET done = done + ?, errored = errored + ?
                        WHERE node_id = ? AND at_minute = ?""").params(done, errored, nodeId, minute).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO node_throughput (node_id, at_minute, done, errored) VALUES (?, ?, ?, ?)")
                    .params(nodeId, minute, done, errored)
                    .update();
        }
    }

    /** Every node's counts summed per minute, from {@code fromMinute} on: {@code minute → [done, errored]}. */
    Map<Long, long[]> sums(long fromMinute) {
        Map<Long, long[]> sums = new TreeMap<>();
        jdbc.sql("""
                        SELECT at_minute, SUM(done) AS done, SUM(errored) AS errored FROM node_throughput
                        WHERE at_minute >= ? GROUP BY at_minute""")
                .param(fromMinute)
                .query((rs, i) ->
                        sums.put(rs.getLong("at_minute"), new long[] {rs.getLong("done"), rs.getLong("errored")}))
                .list();
        return sums;
    }

    /** Forgets the minutes before {@code minute}, of every node. */
    void prune(long minute) {
        jdbc.sql("DELETE FROM node_throughput WHERE at_minute < ?")
                .param(minute)
                .update();
    }
}
