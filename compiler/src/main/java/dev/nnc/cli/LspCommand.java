package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.lsp.NnLanguageServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = {"Run the language server for .nn files that editors start (the Language Server Protocol).",
                "It talks on standard input and output: diagnostics as you type, hover (shapes, and a parameter's derived gradient), go to definition (into the",
                "standard library too), completion (with \\sigma → σ and the like) and the outline. Editors start it",
                "themselves; see docs/editors.md."})
final class LspCommand implements Callable<Integer> {
    @Override public Integer call() throws Exception {
        var server = new NnLanguageServer(Build.version(), status -> {
            System.out.flush();
            System.exit(status);
        });
        NnLanguageServer.launch(server, System.in, System.out).startListening().get(); // until the client closes the stream
        return Main.OK;
    }
}
