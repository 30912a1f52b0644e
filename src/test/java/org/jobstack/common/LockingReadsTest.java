package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

class LockingReadsTest {

    private static final String LOCK_QUEUED =
            "SELECT id FROM item WHERE id IN (:keys) AND state = :state ORDER BY id FOR UPDATE SKIP LOCKED";

    /** prepareStatement calls on the pool's physical connections. */
    private final AtomicInteger prepares = new AtomicInteger();
    /** The physical connections made so far. */
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    private HikariDataSource pool;
    private TransactionTemplate transactions;
    private LockingReads reads;

    @BeforeEach
    void setUp() {
        DriverManagerDataSource h2 =
                new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        HikariConfig config = new HikariConfig();
        config.setDataSource(counting(h2));
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        JdbcClient.create(pool)
                .sql("CREATE TABLE item (id INT PRIMARY KEY, state VARCHAR(16))")
                .update();
        JdbcClient.create(pool)
                .sql("INSERT INTO item VALUES (1, 'queued'), (2, 'queued'), (3, 'done')")
                .update();
        transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        reads = new LockingReads(pool);
        prepares.set(0);
        opened.clear();
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    @Test
    void should_prepare_a_locking_read_once_per_connection_and_text() {
        for (int i = 0; i < 5; i++) {
            assertThat(lockQueued(List.of(1, 2, 3))).containsExactly(1, 2);
        }
        assertThat(lockQueued(List.of(2))).containsExactly(2);
        assertThat(lockQueued(List.of(2))).containsExactly(2);

        // at most one physical connection per text: three keys, then one key
        assertThat(prepares.get()).isBetween(2, 4);
        assertThat(reads.connections()).isBetween(1, 2);
    }

    @Test
    void should_skip_the_rows_another_transaction_locked_with_the_same_statement() {
        List<Integer> whileLocked = transactions.execute(first -> {
            assertThat(lockQueued(List.of(1))).containsExactly(1);
            return CompletableFuture.supplyAsync(() -> lockQueued(List.of(1, 2)))
                    .join();
        });
        assertThat(whileLocked).as("row 1 locked by the first transaction").containsExactly(2);
        // the lock ended with its transaction; the reused statements lock it again
        assertThat(lockQueued(List.of(1, 2))).containsExactly(1, 2);
        assertThat(CompletableFuture.supplyAsync(() -> lockQueued(List.of(1, 2)))
                        .join())
                .containsExactly(1, 2);
    }

    @Test
    void should_lock_again_after_a_rollback() {
        transactions.executeWithoutResult(t -> {
            assertThat(lockQueued(List.of(1, 2))).containsExactly(1, 2);
            t.setRollbackOnly();
        });
        assertThat(CompletableFuture.supplyAsync(() -> transactions.execute(t -> {
                            List<Integer> locked = lockQueued(List.of(1, 2));
                            return List.of(
                                    locked,
                                    CompletableFuture.supplyAsync(() -> lockQueued(List.of(1, 2)))
                                            .join());
                        }))
                        .join())
                .containsExactly(List.of(1, 2), List.of());
    }

    @Test
    void should_prepare_again_on_the_connection_that_replaced_a_closed_one() {
        assertThat(lockQueued(List.of(1))).containsExactly(1);
        List<Connection> before = List.copyOf(opened);
        pool.getHikariPoolMXBean().softEvictConnections();
        await().until(() -> before.stream().allMatch(LockingReadsTest::closed));
        int prepared = prepares.get();

        assertThat(lockQueued(List.of(1))).containsExactly(1);

        assertThat(prepares.get()).isEqualTo(prepared + 1);
        assertThat(reads.connections()).as("the closed connection forgotten").isEqualTo(1);
    }

    @Test
    void should_translate_errors_and_keep_working() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        t -> reads.list("SELECT id FROM missing FOR UPDATE", Map.of(), (rs, n) -> rs.getInt(1))))
                .isInstanceOf(BadSqlGrammarException.class);

        assertThat(lockQueued(List.of(1, 2))).containsExactly(1, 2);
    }

    private List<Integer> lockQueued(List<Integer> keys) {
        return transactions.execute(
                t -> reads.list(LOCK_QUEUED, Map.of("keys", keys, "state", "queued"), (rs, n) -> rs.getInt("id")));
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (java.sql.SQLException e) {
            return true;
        }
    }

    /** H2 connections whose prepareStatement calls are counted. */
    private DataSource counting(DriverManagerDataSource h2) {
        return new DriverManagerDataSource() {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection real = h2.getConnection();
                opened.add(real);
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("prepareStatement")) {
                                prepares.incrementAndGet();
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
