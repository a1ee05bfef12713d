package dev.pixelsense.cli;

import dev.pixelsense.config.Durations;
import dev.pixelsense.screen.Input;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Press key combos in turn, e.g. 'pixelsense key ctrl+a delete' (cmd is the Super key on Linux).")
final class KeyCommand implements Callable<Integer> {
    @Mixin
    InputOption input;

    @Parameters(arity = "1..*", paramLabel = "COMBO", description = "ctrl+shift+t, enter, alt+f4, super, ...")
    List<String> combos;

    @Option(names = "--hold", paramLabel = "DURATION", description = "Hold each combo this long (e.g. 500ms, 2s).")
    String hold;

    @Override
    public Integer call() {
        try (Input in = input.open()) {
            for (String combo : combos) {
                if (hold == null) {
                    in.key(combo);
                } else {
                    in.hold(combo, Durations.parse(hold));
                }
            }
        }
        return 0;
    }
}
