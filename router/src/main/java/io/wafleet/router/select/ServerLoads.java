package io.wafleet.router.select;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The accounts each server has taken that its health reports cannot count yet, one {@link Cell} per server. The
 * account registry moves this instance's counters, the other instances' records move {@link Cell#elsewhere}; a fleet snapshot resolves each server's cell once when it is built
 * ({@link Fleet#of(java.util.Collection, ServerLoads)}), so that selection reads a candidate's load without a lookup.
 */
public final class ServerLoads {

    /**
     * One server's counters, as fields of one object (selection reads them for every candidate it passes over, so
     * they share a cache line and cost one reference from the view), and whether this router has ejected the server
     * from its selection for a while ({@link Outliers}).
     */
    public static final class Cell {
        private static final AtomicIntegerFieldUpdater<Cell> IN_PROGRESS =
                AtomicIntegerFieldUpdater.newUpdater(Cell.class, "inProgress");
        private static final AtomicIntegerFieldUpdater<Cell> RESERVED =
                AtomicIntegerFieldUpdater.newUpdater(Cell.class, "reserved");
        private static final AtomicIntegerFieldUpdater<Cell> ELSEWHERE =
                AtomicIntegerFieldUpdater.newUpdater(Cell.class, "elsewhere");

        private volatile int inProgress;
        private volatile int reserved;
        private volatile int elsewhere;
        /** Until when (System.nanoTime) the server is ejected, or null when it is not. */
        private volatile Long ejectedUntil;

        /** Accounts in progress on the server, by their applied state. */
        public void addInProgress(int delta) {
            IN_PROGRESS.addAndGet(this, delta);
        }

        /** Seats reserved by events sent and not applied yet. */
        public void addReserved(int delta) {
            RESERVED.addAndGet(this, delta);
        }

        /**
         * Accounts in progress on the server among those other router instances hold, as they last said (when each
         * instance holds only its own partitions' accounts).
         */
        public void addElsewhere(int delta) {
            ELSEWHERE.addAndGet(this, delta);
        }

        /** Whether this router has ejected the server from its selection at {@code nanoTime}. */
        public boolean ejected(long nanoTime) {
            Long until = ejectedUntil;
            return until != null && until - nanoTime > 0;
        }

        void ejectUntil(long nanoTime) {
            ejectedUntil = nanoTime;
        }

        /** This instance's own: in progress and reserved. */
        int own() {
            return inProgress + reserved;
        }

        int pending() {
            return inProgress + reserved + elsewhere;
        }
    }

    private final Map<String, Cell> cells = new ConcurrentHashMap<>();

    /** The server's cell, created on first use; the same one for the life of this object. */
    public Cell cell(String serverId) {
        return cells.computeIfAbsent(serverId, id -> new Cell());
    }

    /** Per server with any, this instance's own accounts in progress and seats reserved: what it tells the others. */
    public Map<String, Integer> own() {
        Map<String, Integer> own = new java.util.TreeMap<>();
        cells.forEach((serverId, cell) -> {
            int count = cell.own();
            if (count > 0) {
                own.put(serverId, count);
            }
        });
        return own;
    }

    /** The server's count, as {@link Load#pending}. */
    public int pending(String serverId) {
        Cell cell = cells.get(serverId);
        return cell == null ? 0 : cell.pending();
    }
}
