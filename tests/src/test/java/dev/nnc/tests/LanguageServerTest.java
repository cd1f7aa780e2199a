package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Frontend;
import dev.nnc.lsp.NnLanguageServer;
import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc lsp} driven as an editor drives it: an LSP4J client talking JSON-RPC to the server over a pair of
 * pipes. Diagnostics of a broken file carry the compiler's own message, place and key; hover, definition,
 * completion and the outline answer on the samples.
 */
class LanguageServerTest {
    /** The client: what the server publishes, kept for the test to take. */
    static final class Client implements LanguageClient {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();

        @Override public void publishDiagnostics(PublishDiagnosticsParams p) { diagnostics.add(p); }

        @Override public void telemetryEvent(Object object) { }

        @Override public void showMessage(MessageParams p) { }

        @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return CompletableFuture.completedFuture(null);
        }

        @Override public void logMessage(MessageParams p) { System.err.println("server: " + p.getMessage()); }
    }

    Client client;
    LanguageServer server;
    /** The same connection, for a request outside the protocol's interfaces. */
    RemoteEndpoint remote;
    Thread serverThread;

    @BeforeEach
    void start() throws Exception {
        var toServer = new PipedOutputStream();
        var serverIn = new PipedInputStream(toServer, 1 << 16);
        var toClient = new PipedOutputStream();
        var clientIn = new PipedInputStream(toClient, 1 << 16);
        var impl = new NnLanguageServer("test", status -> { });
        NnLanguageServer.launch(impl, serverIn, toClient).startListening(); // as nnc lsp does
        client = new Client();
        var clientLauncher = LSPLauncher.createClientLauncher(client, clientIn, toServer);
        clientLauncher.startListening();
        server = clientLauncher.getRemoteProxy();
        remote = clientLauncher.getRemoteEndpoint();
        server.initialize(new InitializeParams()).get(30, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
    }

    @AfterEach
    void stop() throws Exception { server.shutdown().get(30, TimeUnit.SECONDS); }

    String open(Path file) throws IOException {
        String uri = file.toAbsolutePath().toUri().toString();
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "nn", 1, Files.readString(file))));
        return uri;
    }

    /** Opens the file and waits for its first diagnostics, as an editor's first request would find it. */
    TextDocumentIdentifier opened(Path file) throws Exception {
        String uri = open(file);
        diagnosticsOf(uri);
        return new TextDocumentIdentifier(uri);
    }

    PublishDiagnosticsParams diagnosticsOf(String uri) throws InterruptedException {
        for (;;) {
            var p = client.diagnostics.poll(30, TimeUnit.SECONDS);
            assertNotNull(p, "no diagnostics published for " + uri);
            if (p.getUri().equals(uri)) return p;
        }
    }

    /** The LSP position of the first occurrence of {@code text} on the 1-based line, plus {@code into} characters. */
    static Position at(Path file, int line, String text, int into) throws IOException {
        String l = Files.readAllLines(file).get(line - 1);
        int c = l.indexOf(text);
        assertTrue(c >= 0, text + " on line " + line + " of " + file);
        return new Position(line - 1, c + into);
    }

    @Test
    void aBrokenFileGetsTheCompilersDiagnosticsAtTheirPlaces() throws Exception {
        Path file = Repo.root().resolve("tests/diagnostics/indices/range_conflict.nn");
        var p = diagnosticsOf(open(file));
        var want = Frontend.check(new SourceFile(file.toString(), Files.readString(file))).diagnostics().sorted();
        assertEquals(want.size(), p.getDiagnostics().size(), p.toString());
        var d = p.getDiagnostics().get(0);
        var w = want.get(0);
        assertEquals("index-range", d.getCode().getLeft());
        assertEquals("nnc", d.getSource());
        assertTrue(d.getMessage().startsWith(w.message()), d.getMessage());
        // the compiler says 8:20 (1-based, in code points); LSP 7:19 (0-based), the same place: the line has no
        // character outside the basic plane
        assertEquals(new Position(w.line() - 1, w.column() - 1), d.getRange().getStart());
        assertEquals(7, d.getRange().getStart().getLine());
        assertTrue(DiagnosticPrinter.render(w).contains(":8:"), DiagnosticPrinter.render(w));
        assertEquals(1, d.getRelatedInformation().size(), "the note: where i got its other range");
    }

    @Test
    void anEditIsCheckedAgain() throws Exception {
        Path file = Repo.root().resolve("samples/xor.nn");
        String uri = open(file);
        assertEquals(List.of(), diagnosticsOf(uri).getDiagnostics(), "the sample checks");
        String broken = Files.readString(file).replace("= tanh(", "= tanhh(");
        var change = new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, 2), List.of(new TextDocumentContentChangeEvent(broken)));
        server.getTextDocumentService().didChange(change);
        var p = diagnosticsOf(uri);
        assertEquals(2, p.getVersion());
        assertEquals(1, p.getDiagnostics().size(), p.toString());
        assertEquals("undefined-function", p.getDiagnostics().get(0).getCode().getLeft());
        assertTrue(p.getDiagnostics().get(0).getMessage().contains("tanhh"), p.toString());
        assertTrue(p.getDiagnostics().get(0).getMessage().contains("hint: did you mean tanh"), p.toString());
    }

    @Test
    void anErrorInAnImportedFileShowsOnTheImportItCameThrough(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("lib.nn"), "fn f(z) = relu2(z)\n");
        Files.writeString(dir.resolve("mid.nn"), "import \"lib.nn\"\nfn g(z) = f(z)\n");
        Path main = Files.writeString(dir.resolve("main.nn"), "// uses mid\nimport \"mid.nn\"\n\nfn h(z) = g(z) + 1\n");
        var p = diagnosticsOf(open(main));
        assertEquals(1, p.getDiagnostics().size(), p.toString());
        var d = p.getDiagnostics().get(0);
        assertEquals("undefined-function", d.getCode().getLeft());
        assertEquals(new Range(new Position(1, 7), new Position(1, 15)), d.getRange(), "the path of import \"mid.nn\"");
        assertTrue(d.getMessage().startsWith("in the imported " + dir.resolve("lib.nn") + ":1:11: undefined function relu2"), d.getMessage());
        assertTrue(d.getMessage().contains("hint: did you mean relu"), d.getMessage());
        var at = d.getRelatedInformation().get(0).getLocation();
        assertEquals(dir.resolve("lib.nn").toUri(), URI.create(at.getUri()));
        assertEquals(new Position(0, 10), at.getRange().getStart());
    }

    @Test
    void hoverShowsShapesAndAParametersDerivedGradient() throws Exception {
        Path file = Repo.root().resolve("samples/mlp.nn");
        var id = opened(file);
        var w1 = server.getTextDocumentService().hover(new HoverParams(id, at(file, 10, "W1[j,i]", 1))).get(30, TimeUnit.SECONDS);
        String text = w1.getContents().getRight().getValue();
        assertTrue(text.startsWith("`W1` — parameter of Mlp, shape [256,784], starts drawn from he"), text);
        assertTrue(text.contains("∂J/∂W1[j,i] = δh1[j] · x[i]"), text);
        assertTrue(text.contains("δh1[j] = "), "the δ the gradient reads: " + text);
        var x = server.getTextDocumentService().hover(new HoverParams(id, at(file, 10, "x[i]", 0))).get(30, TimeUnit.SECONDS);
        assertTrue(x.getContents().getRight().getValue().startsWith("`x` — input of Mlp, shape [784]"), x.toString());
        var relu = server.getTextDocumentService().hover(new HoverParams(id, at(file, 10, "relu", 2))).get(30, TimeUnit.SECONDS);
        String r = relu.getContents().getRight().getValue();
        assertTrue(r.contains("fn relu(z) = max(0, z)") && r.contains("from the standard library, stdlib/activations.nn:"), r);
    }

    /** The ranges index arithmetic infers, on hover: LeNet's a1[c,i,j] has i over the 28 a "same" convolution leaves. */
    @Test
    void hoverShowsTheRangeInferredForAnIndex() throws Exception {
        Path file = Repo.root().resolve("samples/lenet.nn");
        var id = opened(file);
        int line = 15;
        assertTrue(Files.readAllLines(file).get(line - 1).startsWith("  a1[c,i,j] = relu("), "line " + line + " of " + file);
        var left = server.getTextDocumentService().hover(new HoverParams(id, at(file, line, "i,j]", 0))).get(30, TimeUnit.SECONDS);
        assertEquals("`i` — an index, over 1 … 28", left.getContents().getRight().getValue());
        var window = server.getTextDocumentService().hover(new HoverParams(id, at(file, line, "i+p-1", 2))).get(30, TimeUnit.SECONDS);
        assertEquals("`p` — an index, over 1 … 5", window.getContents().getRight().getValue());
        var pool = server.getTextDocumentService().hover(new HoverParams(id, at(file, line + 1, "2i+p-2", 1))).get(30, TimeUnit.SECONDS);
        assertEquals("`i` — an index, over 1 … 14", pool.getContents().getRight().getValue());
    }

    @Test
    void definitionGoesToDeclarationsAndIntoTheStandardLibrary() throws Exception {
        Path file = Repo.root().resolve("samples/mlp.nn");
        var id = opened(file);
        var softmax = server.getTextDocumentService().definition(new DefinitionParams(id, at(file, 13, "softmax", 3))).get(30, TimeUnit.SECONDS).getLeft();
        assertEquals(1, softmax.size());
        Path lib = Path.of(URI.create(softmax.get(0).getUri()));
        assertTrue(lib.endsWith("activations.nn"), lib.toString());
        int line = softmax.get(0).getRange().getStart().getLine();
        assertTrue(Files.readAllLines(lib).get(line).startsWith("fn softmax(z)"), Files.readAllLines(lib).get(line));
        var b1 = server.getTextDocumentService().definition(new DefinitionParams(id, at(file, 10, "b1[j]", 0))).get(30, TimeUnit.SECONDS).getLeft();
        assertEquals(id.getUri(), b1.get(0).getUri());
        assertEquals(5, b1.get(0).getRange().getStart().getLine(), "param W1[256,784] ~ he, b1[256] = 0 is line 6");
    }

    @Test
    void completionOffersNamesInScopeAndTheMathSymbols() throws Exception {
        Path file = Repo.root().resolve("samples/mlp.nn");
        var id = opened(file);
        List<String> labels = server.getTextDocumentService().completion(new CompletionParams(id, at(file, 11, "relu", 0)))
                .get(30, TimeUnit.SECONDS).getLeft().stream().map(CompletionItem::getLabel).toList();
        for (String want : List.of("relu", "softmax", "cross_entropy", "exp", "network", "param", "with", "alias", "W2", "h1", "adam")) {
            assertTrue(labels.contains(want), want + " in " + labels);
        }
        // after a backslash: \sig offers σ, replacing the four characters typed
        String text = Files.readString(file).replace("relu(Σⱼ W2", "\\sig(Σⱼ W2");
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(id.getUri(), 2),
                List.of(new TextDocumentContentChangeEvent(text))));
        diagnosticsOf(id.getUri());
        var pos = new Position(10, text.lines().toList().get(10).indexOf("\\sig") + 4);
        var items = server.getTextDocumentService().completion(new CompletionParams(id, pos)).get(30, TimeUnit.SECONDS).getLeft();
        var sigma = items.stream().filter(i -> i.getLabel().equals("\\sigma")).findFirst().orElseThrow();
        assertEquals("σ", sigma.getTextEdit().getLeft().getNewText());
        assertEquals(pos.getCharacter() - 4, sigma.getTextEdit().getLeft().getRange().getStart().getCharacter());
    }

    @Test
    void theOutlineHasTheNetworkAndItsMembers() throws Exception {
        Path file = Repo.root().resolve("samples/mlp.nn");
        var symbols = server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(opened(file)))
                .get(30, TimeUnit.SECONDS).stream().map(e -> e.getRight()).toList();
        assertEquals(List.of("Mlp", "train Mlp"), symbols.stream().map(DocumentSymbol::getName).toList());
        List<String> members = symbols.get(0).getChildren().stream().map(DocumentSymbol::getName).toList();
        assertEquals(List.of("x", "y", "W1", "b1", "W2", "b2", "W3", "b3", "h1", "h2", "z", "p", "p", "J"), members);
    }

    @Test
    void programsFarLargerAndDeeperThanPeopleWriteGetTheirDiagnosticsAndTheServerKeepsServing(@TempDir Path dir) throws Exception {
        // ten thousand levels of every kind of nesting: the one located error nnc check gives, not a dead server
        for (var kind : LargeProgramsTest.nestings().toList()) {
            Object[] a = kind.get();
            @SuppressWarnings("unchecked") var nest = (IntFunction<String>) a[1];
            Path deep = dir.resolve(((String) a[0]).replace(' ', '_') + ".nn");
            Files.writeString(deep, LargeProgramsTest.network("  o = " + nest.apply(10_000) + "\n"));
            var p = diagnosticsOf(open(deep));
            assertEquals(List.of("too-deep"), p.getDiagnostics().stream().map(d -> d.getCode().getLeft()).toList(), a[0].toString());
            assertEquals(5, p.getDiagnostics().get(0).getRange().getStart().getLine());
        }
        // a sum of 50,000 terms: checked, no mistake, and its outline
        var sum = new StringBuilder("  o = b");
        for (int k = 0; k < 50_000; k++) sum.append(" + w*x[1]");
        Path big = dir.resolve("sum.nn");
        Files.writeString(big, LargeProgramsTest.network(sum + "\n"));
        var id = new TextDocumentIdentifier(open(big));
        assertEquals(List.of(), diagnosticsOf(id.getUri()).getDiagnostics());
        var symbols = server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(id)).get(30, TimeUnit.SECONDS);
        assertEquals("N", symbols.get(0).getRight().getName());
    }

    @Test
    void aRequestNncDoesNotImplementIsMethodNotFoundWithoutATrace() throws Exception {
        Path file = Repo.root().resolve("samples/mlp.nn");
        var id = opened(file);
        var failure = Assertions.assertThrows(ExecutionException.class,
                () -> server.getTextDocumentService().formatting(new DocumentFormattingParams(id, new FormattingOptions(4, true)))
                        .get(30, TimeUnit.SECONDS));
        var error = ((ResponseErrorException) failure.getCause()).getResponseError();
        assertEquals(ResponseErrorCode.MethodNotFound.getValue(), error.getCode(), error.getMessage());
        assertEquals(null, error.getData());
        // a method not in the protocol's interfaces at all: the same answer
        var unknown = Assertions.assertThrows(ExecutionException.class,
                () -> remote.request("nnc/noSuchMethod", null).get(30, TimeUnit.SECONDS));
        assertEquals(ResponseErrorCode.MethodNotFound.getValue(),
                ((ResponseErrorException) unknown.getCause()).getResponseError().getCode());
        // and the server goes on
        assertEquals("Mlp", server.getTextDocumentService().documentSymbol(new DocumentSymbolParams(id)).get(30, TimeUnit.SECONDS)
                .get(0).getRight().getName());
    }
}
