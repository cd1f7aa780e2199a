package dev.nnc.lsp;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Severity;
import dev.nnc.driver.DeepStack;
import dev.nnc.resolve.Symbol;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * {@code nnc lsp}: a language server for .nn files built on the compiler itself. Every change of a document runs
 * the front end on the whole text (a check of the largest sample takes well under a millisecond once the JVM is
 * warm) and publishes its diagnostics, with the compiler's messages, hints and related places. Hover, go to
 * definition, completion and the outline read the same analysis; a hover on a parameter runs the middle end once
 * per version of the document to show the gradient nnc derives. The documents are synchronised whole.
 */
public final class NnLanguageServer implements LanguageServer, LanguageClientAware, TextDocumentService, WorkspaceService {
    private final Map<String, Analysis> documents = new ConcurrentHashMap<>();
    private final IntConsumer exit;
    private final String version;
    private LanguageClient client;
    private boolean shutdown;

    /** @param exit what {@code exit} does with the status the protocol gives it (0 after shutdown, else 1) */
    public NnLanguageServer(String version, IntConsumer exit) {
        this.version = version;
        this.exit = exit;
    }

    @Override public void connect(LanguageClient client) { this.client = client; }

    @Override public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        var caps = new ServerCapabilities();
        caps.setTextDocumentSync(TextDocumentSyncKind.Full);
        caps.setHoverProvider(true);
        caps.setDefinitionProvider(true);
        caps.setDocumentSymbolProvider(true);
        caps.setCompletionProvider(new CompletionOptions(false, List.of("\\")));
        return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("nnc", version)));
    }

    @Override public CompletableFuture<Object> shutdown() {
        shutdown = true;
        documents.clear();
        return CompletableFuture.completedFuture(null);
    }

    @Override public void exit() { exit.accept(shutdown ? 0 : 1); }

    @Override public TextDocumentService getTextDocumentService() { return this; }

    @Override public WorkspaceService getWorkspaceService() { return this; }

    // ─── Documents ─────────────────────────────────────────────────────────────────────────────────

    @Override public void didOpen(DidOpenTextDocumentParams p) {
        analyse(p.getTextDocument().getUri(), p.getTextDocument().getText(), p.getTextDocument().getVersion());
    }

    @Override public void didChange(DidChangeTextDocumentParams p) {
        var changes = p.getContentChanges();
        if (changes.isEmpty()) return;
        // full synchronisation: the last change is the whole text
        analyse(p.getTextDocument().getUri(), changes.get(changes.size() - 1).getText(), p.getTextDocument().getVersion());
    }

    @Override public void didClose(DidCloseTextDocumentParams p) {
        String uri = p.getTextDocument().getUri();
        documents.remove(uri);
        if (client != null) client.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
    }

    @Override public void didSave(DidSaveTextDocumentParams p) { }

    /**
     * The server on these streams, connected to its client: messages handled on deep-stack threads (the compiler
     * recurses over the program, {@code driver.DeepStack}), and a request nnc does not implement answered
     * {@code -32601 method not found}, not as an internal error with a trace.
     */
    public static Launcher<LanguageClient> launch(NnLanguageServer server, InputStream in,
                                                                          OutputStream out) {
        var launcher = new LSPLauncher.Builder<LanguageClient>()
                .setLocalService(server)
                .setRemoteInterface(LanguageClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(Executors.newCachedThreadPool(DeepStack.factory("nnc-lsp")))
                .setExceptionHandler(NnLanguageServer::error)
                .create();
        server.connect(launcher.getRemoteProxy());
        return launcher;
    }

    /** What a failed request answers: not supported, or a bug (its trace to the editor's log, not to the user). */
    static ResponseError error(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof InvocationTargetException
                || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ResponseErrorException r) return r.getResponseError(); // LSP4J's own answer: a method it does not know is -32601
        if (cause instanceof UnsupportedOperationException) {
            return new ResponseError(ResponseErrorCode.MethodNotFound,
                    "nnc lsp does not support this request", null);
        }
        cause.printStackTrace(); // standard error: the editor's log of the server
        return new ResponseError(ResponseErrorCode.InternalError,
                "nnc: internal error: " + cause, null);
    }

    private void analyse(String uri, String text, Integer docVersion) {
        Analysis a;
        try {
            a = new Analysis(Places.path(uri), text);
        } catch (RuntimeException | StackOverflowError e) {
            // a bug in nnc: say so, keep the last good analysis, and keep serving
            if (client != null) client.logMessage(new MessageParams(MessageType.Error, "nnc: internal error checking " + uri + ": " + e));
            return;
        }
        documents.put(uri, a);
        if (client == null) return;
        List<org.eclipse.lsp4j.Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : a.diagnostics()) out.add(diagnostic(d));
        var params = new PublishDiagnosticsParams(uri, out);
        params.setVersion(docVersion);
        client.publishDiagnostics(params);
    }

    /** The compiler's diagnostic: its span, message and hint, its key as the code, its notes as related places. */
    static org.eclipse.lsp4j.Diagnostic diagnostic(Diagnostic d) {
        String message = d.hint() == null ? d.message() : d.message() + "\nhint: " + d.hint();
        var out = new org.eclipse.lsp4j.Diagnostic(Positions.range(d.span()), message,
                d.severity() == Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, "nnc", d.key().id());
        List<DiagnosticRelatedInformation> related = new ArrayList<>();
        for (var r : d.related()) related.add(new DiagnosticRelatedInformation(Places.location(r.span()), r.message()));
        if (!related.isEmpty()) out.setRelatedInformation(related);
        return out;
    }

    // ─── Questions about a document ─────────────────────────────────────────────────────────────────

    @Override public CompletableFuture<Hover> hover(HoverParams p) {
        Analysis a = documents.get(p.getTextDocument().getUri());
        if (a == null) return CompletableFuture.completedFuture(null);
        var occurrence = Occurrences.at(a.result.main(), Positions.offset(a.file, p.getPosition()));
        Meaning m = Meaning.of(a, occurrence);
        if (m == null) return CompletableFuture.completedFuture(null);
        var hover = new Hover(new MarkupContent(MarkupKind.MARKDOWN, Hovers.of(a, m)), Positions.range(occurrence.ident().span()));
        return CompletableFuture.completedFuture(hover);
    }

    @Override public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(DefinitionParams p) {
        Analysis a = documents.get(p.getTextDocument().getUri());
        List<Location> out = new ArrayList<>();
        if (a != null) {
            Meaning m = Meaning.of(a, Occurrences.at(a.result.main(), Positions.offset(a.file, p.getPosition())));
            var span = m == null ? null : switch (m) {
                case Meaning.Value v -> v.value().span();
                case Meaning.Top t -> switch (t.symbol()) {
                    case Symbol.Fn f -> f.decl().name().span();
                    case Symbol.Neuron n -> n.decl().name().span();
                    case Symbol.Optimizer o -> o.decl().name().span();
                    case Symbol.Network n -> n.decl().name().span();
                    case Symbol.Alias al -> al.decl().name().span();
                    case Symbol.Builtin b -> null;
                    case Symbol.Pad pad -> null;
                };
                case Meaning.Local l -> l.declared().span();
                case Meaning.Index i -> null;
            };
            if (span != null) out.add(Places.location(span));
        }
        return CompletableFuture.completedFuture(Either.forLeft(out));
    }

    @Override public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams p) {
        Analysis a = documents.get(p.getTextDocument().getUri());
        if (a == null) return CompletableFuture.completedFuture(Either.forLeft(List.of()));
        int offset = Positions.offset(a.file, p.getPosition());
        return CompletableFuture.completedFuture(Either.forLeft(Completions.at(a, offset, p.getPosition())));
    }

    @Override public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams p) {
        Analysis a = documents.get(p.getTextDocument().getUri());
        List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
        if (a != null) for (DocumentSymbol s : Symbols.of(a)) out.add(Either.forRight(s));
        return CompletableFuture.completedFuture(out);
    }

    // ─── The workspace ─────────────────────────────────────────────────────────────────────────────

    @Override public void didChangeConfiguration(DidChangeConfigurationParams p) { }

    @Override public void didChangeWatchedFiles(DidChangeWatchedFilesParams p) { }
}
