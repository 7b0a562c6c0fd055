package dev.commitcast.devstack;

import dev.commitcast.devstack.internal.ChildProcess;
import dev.commitcast.devstack.internal.Deadline;
import dev.commitcast.devstack.internal.Executables;
import dev.commitcast.devstack.internal.LogTail;
import dev.commitcast.devstack.internal.Ports;
import dev.commitcast.devstack.internal.Resp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A local Redis Cluster for tests and benchmarks: {@code masters × (1 + replicasPerMaster)} {@code redis-server
 * --cluster-enabled yes} processes on free loopback ports, joined by {@code redis-cli --cluster create}, without
 * persistence. A short node timeout (1 s) and a replica validity factor of 0 make a replica take over within a few
 * seconds of its master's death. Nodes can be {@link #kill(int) killed} to force a failover; {@link #awaitHealthy}
 * waits until every slot is served by a live master again and every live replica has synchronised.
 *
 * <p>Needs {@code redis-server} and {@code redis-cli} (Redis ≥ 7) on {@code PATH}. {@link #close()} kills every
 * node and is also run at JVM exit. Thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

    private static final int CALL_TIMEOUT_MILLIS = 1_000;
    private static final int SLOTS = 16_384;

    private final Path dir;
    private final Map<Integer, ChildProcess> nodes = new LinkedHashMap<>();
    private final Thread reaper = new Thread(this::killAll, "redis-cluster-reaper");

    private RedisCluster(Path dir) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts and joins the nodes and waits until the cluster is healthy.
     *
     * @throws DevStackException naming the missing binary, or the node or step that failed, with its log's tail
     */
    public static RedisCluster start(Path workDir, int masters, int replicasPerMaster) {
        if (masters < 3) {
            throw new IllegalArgumentException("Redis Cluster needs at least 3 masters, got " + masters);
        }
        String path = System.getenv("PATH");
        Path server = Executables.onPath("redis-server", path).orElseThrow(() -> new DevStackException(
                "redis-server not found on PATH; install it (apt-get install redis-server) for a Redis Cluster"));
        Path cli = Executables.onPath("redis-cli", path).orElseThrow(() -> new DevStackException(
                "redis-cli not found on PATH; it comes with redis-server (apt-get install redis-server)"));
        RedisCluster cluster = new RedisCluster(workDir.resolve("redis-cluster"));
        try {
            Files.createDirectories(cluster.dir);
            int count = masters * (1 + replicasPerMaster);
            for (int i = 0; i < count; i++) {
                cluster.launch(server, Ports.free());
            }
            Deadline ready = Deadline.after(Duration.ofSeconds(20));
            for (int port : cluster.nodes.keySet()) {
                while (!ping(port)) {
                    cluster.requireAlive(port);
                    ready.pause(Duration.ofMillis(20), "Redis Cluster node " + port);
                }
            }
            List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            cluster.nodes.keySet().forEach(port -> create.add(Ports.LOOPBACK + ":" + port));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            Path log = cluster.dir.resolve("create.log");
            int exit = ChildProcess.run("redis-cli --cluster create", create, log, Deadline.after(Duration.ofSeconds(30)));
            if (exit != 0) {
                throw new DevStackException("redis-cli --cluster create exited with " + exit + System.lineSeparator()
                        + LogTail.describe(log));
            }
            cluster.awaitHealthy(Duration.ofSeconds(30));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof DevStackException d ? d : new DevStackException("Redis Cluster did not start: " + e, e);
        }
    }

    private void launch(Path server, int port) {
        Path log = dir.resolve("node-" + port + ".log");
        // The bus port is chosen too: the default, port + 10000, is past 65535 for much of the ephemeral range.
        List<String> command = List.of(server.toString(), "--port", Integer.toString(port), "--bind", Ports.LOOPBACK,
                "--cluster-port", Integer.toString(Ports.free()), "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--logfile", log.toString());
        synchronized (this) {
            nodes.put(port, ChildProcess.start("redis-cluster-node-" + port, command, log, Map.of()));
        }
    }

    /** {@code redis-cluster://127.0.0.1:p,...} naming every node as a seed, for Commitcast's configuration. */
    public synchronized String clusterUri() {
        StringBuilder uri = new StringBuilder("redis-cluster://");
        nodes.keySet().forEach(port -> uri.append(Ports.LOOPBACK).append(':').append(port).append(','));
        uri.setLength(uri.length() - 1);
        return uri.toString();
    }

    /** Every node's {@code redis://} URI, in start order. */
    public synchronized List<String> nodeUris() {
        return nodes.keySet().stream().map(port -> "redis://" + Ports.LOOPBACK + ":" + port).toList();
    }

    /** The ports of the live masters that serve slots, ascending. */
    public List<Integer> masterPorts() {
        return List.copyOf(topology().masters.keySet());
    }

    /** The ports of the live masters that serve slots and have at least one live replica, ascending. */
    public List<Integer> mastersWithReplica() {
        Topology topology = topology();
        return topology.masters.keySet().stream()
                .filter(port -> topology.replicasOf.getOrDefault(topology.masters.get(port), 0) > 0).toList();
    }

    /** Kills a node with SIGKILL (no goodbye to the cluster), as a crash would. */
    public void kill(int port) {
        ChildProcess node;
        synchronized (this) {
            node = nodes.get(port);
        }
        if (node == null) {
            throw new IllegalArgumentException("no node on port " + port + " (nodes: " + nodes.keySet() + ")");
        }
        node.kill();
    }

    /**
     * Waits until every live node sees {@code cluster_state:ok}, the live masters serve all 16384 slots, and every
     * live replica's link to its master is up.
     *
     * @throws DevStackException with what was still wrong when the time ran out
     */
    public void awaitHealthy(Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        String problem = "not checked";
        while (!deadline.expired()) {
            problem = problem();
            if (problem == null) {
                return;
            }
            deadline.pause(Duration.ofMillis(100), "Redis Cluster health");
        }
        throw new DevStackException("Redis Cluster not healthy within " + timeout + ": " + problem);
    }

    private String problem() {
        for (int port : livePorts()) {
            try {
                String info = Resp.text(Ports.LOOPBACK, port, CALL_TIMEOUT_MILLIS, List.of("CLUSTER", "INFO"));
                if (!info.contains("cluster_state:ok")) {
                    return "node " + port + " sees cluster_state " + field(info, "cluster_state");
                }
                String replication = Resp.text(Ports.LOOPBACK, port, CALL_TIMEOUT_MILLIS, List.of("INFO",
                        "replication"));
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                    return "replica " + port + " has not synchronised with its master";
                }
            } catch (IOException e) {
                return "node " + port + ": " + e.getMessage();
            }
        }
        Topology topology = topology();
        if (topology.covered < SLOTS) {
            return "live masters " + topology.masters.keySet() + " serve " + topology.covered + " of " + SLOTS
                    + " slots";
        }
        return null;
    }

    private record Topology(Map<Integer, String> masters, Map<String, Integer> replicasOf, int covered) {
    }

    /** The cluster as a live node sees it, counting only live nodes. */
    private Topology topology() {
        List<Integer> live = livePorts();
        for (int port : live) {
            String text;
            try {
                text = Resp.text(Ports.LOOPBACK, port, CALL_TIMEOUT_MILLIS, List.of("CLUSTER", "NODES"));
            } catch (IOException e) {
                continue;
            }
            Map<Integer, String> masters = new HashMap<>();
            Map<String, Integer> replicasOf = new HashMap<>();
            BitSet covered = new BitSet(SLOTS);
            for (String line : text.split("\n")) {
                String[] f = line.strip().split(" ");
                if (f.length < 8) {
                    continue;
                }
                int nodePort = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1).split("@")[0]);
                if (!live.contains(nodePort) || f[2].contains("fail")) {
                    continue;
                }
                if (f[2].contains("master") && f.length > 8) {
                    masters.put(nodePort, f[0]);
                    for (int i = 8; i < f.length; i++) {
                        if (f[i].startsWith("[")) {
                            continue; // a slot being migrated
                        }
                        String[] range = f[i].split("-");
                        int from = Integer.parseInt(range[0]);
                        covered.set(from, (range.length == 2 ? Integer.parseInt(range[1]) : from) + 1);
                    }
                } else if (f[2].contains("slave")) {
                    replicasOf.merge(f[3], 1, Integer::sum);
                }
            }
            return new Topology(new java.util.TreeMap<>(masters), replicasOf, covered.cardinality());
        }
        return new Topology(Map.of(), Map.of(), 0);
    }

    private synchronized List<Integer> livePorts() {
        return nodes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    private synchronized void requireAlive(int port) {
        ChildProcess node = nodes.get(port);
        if (!node.isAlive()) {
            throw new DevStackException("Redis Cluster node " + port + " exited with " + node.exitValue()
                    + System.lineSeparator() + LogTail.describe(node.logFile()));
        }
    }

    private static boolean ping(int port) {
        try {
            return "PONG".equals(Resp.text(Ports.LOOPBACK, port, CALL_TIMEOUT_MILLIS, List.of("PING")));
        } catch (IOException e) {
            return false;
        }
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }

    private synchronized void killAll() {
        nodes.values().forEach(ChildProcess::kill);
    }

    /** Kills every node. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }
}
