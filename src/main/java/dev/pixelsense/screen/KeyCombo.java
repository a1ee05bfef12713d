package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keys pressed together, written {@code ctrl+shift+t}: pressed left to right, released right to
 * left. Names are case-insensitive: {@code ctrl} (control), {@code shift}, {@code alt},
 * {@code altgr}, {@code super} (cmd, command, win, meta: the Super key on Linux, Command on
 * macOS), {@code enter} (return), {@code tab}, {@code esc} (escape), {@code space}, {@code
 * backspace}, {@code delete} (del), {@code insert}, {@code home}, {@code end}, {@code pageup}
 * (pgup), {@code pagedown} (pgdn), {@code up}, {@code down}, {@code left}, {@code right}, {@code
 * f1}..{@code f24}, {@code capslock}, {@code printscreen}, {@code menu}, {@code plus}, {@code
 * minus}, or one character ({@code a}, {@code 5}, {@code /}; {@code ctrl++} is ctrl and plus).
 * A letter in a combo names a key, so {@code ctrl+T} is {@code ctrl+t}: add {@code shift} to
 * mean shift. On X11 any other keysym name works too ({@code XF86AudioMute}, {@code KP_Enter}).
 *
 * @param keys canonical names in press order, the last one being the key the modifiers apply to
 */
public record KeyCombo(List<String> keys) {
    public KeyCombo {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new BadRequestException("A key combo needs at least one key", "keys");
        }
    }

    /** Parses {@code ctrl+shift+t}. */
    public static KeyCombo parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadRequestException("No key given; write e.g. ctrl+s, enter or shift+f10", "keys");
        }
        String s = text.strip();
        List<String> keys = new ArrayList<>();
        int start = 0;
        while (start < s.length()) {
            // a '+' right at the start of a token is the plus key itself ("ctrl++", "+")
            int end = s.indexOf('+', start + 1);
            if (end < 0) {
                end = s.length();
            }
            String token = s.substring(start, end).strip();
            if (token.isEmpty()) {
                throw new BadRequestException("Empty key name in '" + text + "'; write keys joined by +, e.g. ctrl+s",
                        "keys");
            }
            keys.add(canonical(token));
            start = end + 1;
            if (end == s.length() - 1) {
                throw new BadRequestException("'" + text + "' ends with +; write ctrl+plus for the plus key", "keys");
            }
        }
        return new KeyCombo(keys);
    }

    /** The canonical name of one key token (see the class comment). */
    static String canonical(String token) {
        if (token.codePointCount(0, token.length()) == 1) {
            return token.toLowerCase(Locale.ROOT);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "control", "ctl" -> "ctrl";
            case "cmd", "command", "win", "windows", "meta" -> "super";
            case "return" -> "enter";
            case "escape" -> "esc";
            case "del" -> "delete";
            case "ins" -> "insert";
            case "pgup", "page_up" -> "pageup";
            case "pgdn", "page_down" -> "pagedown";
            case "caps", "caps_lock" -> "capslock";
            case "print", "prtsc" -> "printscreen";
            case "option" -> "alt";
            default -> Keys.isNamed(lower) ? lower : token;
        };
    }

    @Override
    public String toString() {
        return String.join("+", keys);
    }
}
