package dev.nnc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * What an editor waits for: from sending an edit of a .nn file to {@code nnc lsp} to receiving its diagnostics,
 * through the real transport (the server a process of its own, started with the command given, JSON-RPC over its
 * standard input and output). First the file is opened right after the server starts (the JVM cold), then it is
 * edited {@code --edits} times, each edit alternating between the file and the file with a misspelt name, and each
 * round trip timed from the didChange sent to the publishDiagnostics of that version received.
 *
 * <pre>bench/lsp-latency.sh   (java -cp bench/target/benchmarks.jar dev.nnc.bench.LspLatency --file samples/mlp.nn -- ./nnc lsp)</pre>
 */
public final class LspLatency {
    private LspLatency() {}

    public static void main(String[] args) throws Exception {
        Path file = null;
        int edits = 300;
        List<String> server = new ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--file" -> file = Path.of(args[++k]);
                case "--edits" -> {
                    try {
                        edits = Throughput.count("--edits", args[++k]);
                    } catch (IllegalArgumentException e) {
                        System.err.println("lsp-latency: " + e.getMessage());
                        System.exit(2);
                    }
                }
                case "--" -> server.addAll(Arrays.asList(args).subList(k + 1, args.length));
                default -> { }
            }
            if (args[k].equals("--")) break;
        }
        if (file == null || server.isEmpty()) {
            System.err.println("usage: LspLatency --file F.nn [--edits N] -- SERVER COMMAND…");
            System.exit(2);
        }
        String text = Files.readString(file), broken = text.replaceFirst("relu\\(", "rleu(").replaceFirst("σ\\(", "sgma(");
        if (broken.equals(text)) broken = text + "\nx = undefined_name\n";
        String uri = file.toAbsolutePath().toUri().toString();

        long started = System.nanoTime();
        Process p = new ProcessBuilder(server).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();
        var client = new LanguageClient() {
            @Override public void publishDiagnostics(PublishDiagnosticsParams d) { published.add(d); }
            @Override public void telemetryEvent(Object o) { }
            @Override public void showMessage(MessageParams m) { }
            @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams r) { return CompletableFuture.completedFuture(null); }
            @Override public void logMessage(MessageParams m) { System.err.println("server: " + m.getMessage()); }
        };
        var launcher = LSPLauncher.createClientLauncher(client, p.getInputStream(), p.getOutputStream());
        launcher.startListening();
        var remote = launcher.getRemoteProxy();
        remote.initialize(new InitializeParams()).get(60, TimeUnit.SECONDS);
        remote.initialized(new InitializedParams());
        long open = System.nanoTime();
        remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "nn", 1, text)));
        await(published, 1);
        long opened = System.nanoTime();
        double[] ms = new double[edits];
        for (int k = 0; k < edits; k++) {
            int version = k + 2;
            long t = System.nanoTime();
            remote.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, version),
                    List.of(new TextDocumentContentChangeEvent(k % 2 == 0 ? broken : text))));
            await(published, version);
            ms[k] = (System.nanoTime() - t) / 1e6;
        }
        remote.shutdown().get(30, TimeUnit.SECONDS);
        remote.exit();
        p.waitFor(30, TimeUnit.SECONDS);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: %d characters; server start to initialized %.0f ms, first diagnostics after opening %.0f ms (cold)%n",
                file, text.length(), (open - started) / 1e6, (opened - open) / 1e6);
        System.out.printf(Locale.ROOT, "edit → diagnostics, %d edits: median %.2f ms, 95th percentile %.2f ms, slowest %.2f ms, first %.2f ms%n",
                edits, sorted[edits / 2], sorted[(int) (edits * 0.95)], sorted[edits - 1], ms[0]);
    }

    private static void await(BlockingQueue<PublishDiagnosticsParams> q, int version) throws InterruptedException {
        for (;;) {
            var d = q.poll(60, TimeUnit.SECONDS);
            if (d == null) throw new IllegalStateException("no diagnostics for version " + version + " within 60 s");
            if (d.getVersion() != null && d.getVersion() == version) return;
        }
    }
}
