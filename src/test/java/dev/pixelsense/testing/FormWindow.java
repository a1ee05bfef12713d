package dev.pixelsense.testing;

import java.awt.Component;
import java.awt.Font;
import java.awt.GraphicsConfiguration;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * Run in a child JVM with DISPLAY set: a real Swing form, the agent tests' target. An undecorated
 * window over {@code x,y,w,h} (device pixels) titled {@code TITLE}, with a Name and an Email field,
 * a Subscribe check box, a list of 60 items in a scroll pane, and Submit and Cancel buttons. Prints
 * JSON lines on stdout: {@code {"e":"READY", "<component>":[x,y,w,h], ...}} once shown (bounds in
 * device pixels of the desktop, so HiDPI runs with {@code -Dsun.java2d.uiScale=2} report what is on
 * the screen), then {@code pressed} (component and device point) for every mouse press,
 * {@code selected} (list item), {@code scrolled} (first visible item) and {@code submitted} (the
 * field values).
 */
public final class FormWindow {
    public static final String TITLE = "pixelsense test form";
    private static final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static double scale = 1;

    public static void main(String[] args) throws Exception {
        String[] v = args[0].split(",");
        String title = args.length > 1 ? args[1] : TITLE;
        SwingUtilities.invokeAndWait(() -> build(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                Integer.parseInt(v[3]), title));
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void build(int x, int y, int w, int h, String title) {
        JFrame frame = new JFrame(title);
        frame.setUndecorated(true);
        GraphicsConfiguration gc = frame.getGraphicsConfiguration();
        scale = gc.getDefaultTransform().getScaleX();
        JPanel panel = new JPanel(null);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 18);
        JTextField name = new JTextField();
        JTextField email = new JTextField();
        JCheckBox subscribe = new JCheckBox("Subscribe");
        DefaultListModel<String> items = new DefaultListModel<>();
        for (int i = 1; i <= 60; i++) {
            items.addElement("Item " + i);
        }
        JList<String> list = new JList<>(items);
        JScrollPane scroll = new JScrollPane(list);
        JButton submit = new JButton("Submit");
        JButton cancel = new JButton("Cancel");
        JLabel status = new JLabel("Not submitted");
        Map<String, Component> parts = new LinkedHashMap<>();
        parts.put("name_label", new JLabel("Name"));
        parts.put("name", name);
        parts.put("email_label", new JLabel("Email"));
        parts.put("email", email);
        parts.put("subscribe", subscribe);
        parts.put("list", scroll);
        parts.put("submit", submit);
        parts.put("cancel", cancel);
        parts.put("status", status);
        int[][] layout = {{20, 20, 80, 32}, {110, 20, 300, 32}, {20, 70, 80, 32}, {110, 70, 300, 32}, {110, 120, 200, 32},
                {110, 170, 300, 200}, {110, 390, 120, 40}, {250, 390, 120, 40}, {20, 450, 500, 32}};
        int i = 0;
        for (Map.Entry<String, Component> e : parts.entrySet()) {
            Component c = e.getValue();
            c.setFont(font);
            int[] r = layout[i++];
            c.setBounds(r[0], r[1], r[2], r[3]);
            panel.add(c);
            String id = e.getKey();
            MouseAdapter report = new MouseAdapter() {
                @Override
                public void mousePressed(MouseEvent m) {
                    out.println("{\"e\":\"pressed\",\"component\":\"" + id + "\",\"x\":" + device(m.getXOnScreen())
                            + ",\"y\":" + device(m.getYOnScreen()) + "}");
                }
            };
            (c == scroll ? list : c).addMouseListener(report);
        }
        list.setFont(font);
        list.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && list.getSelectedValue() != null) {
                out.println("{\"e\":\"selected\",\"item\":\"" + list.getSelectedValue() + "\"}");
            }
        });
        scroll.getViewport().addChangeListener(e -> out.println("{\"e\":\"scrolled\",\"first\":"
                + list.getFirstVisibleIndex() + "}"));
        submit.addActionListener(e -> {
            status.setText("Submitted: " + name.getText() + " <" + email.getText() + ">");
            out.println("{\"e\":\"submitted\",\"name\":\"" + json(name.getText()) + "\",\"email\":\""
                    + json(email.getText()) + "\",\"subscribe\":" + subscribe.isSelected() + "}");
        });
        frame.setContentPane(panel);
        frame.setBounds((int) Math.round(x / scale), (int) Math.round(y / scale), (int) Math.round(w / scale),
                (int) Math.round(h / scale));
        frame.setVisible(true);
        // report once the window is really on screen (after its first paint)
        new javax.swing.Timer(700, e -> {
            ((javax.swing.Timer) e.getSource()).stop();
            StringBuilder ready = new StringBuilder("{\"e\":\"READY\",\"scale\":" + scale);
            parts.forEach((id, c) -> {
                java.awt.Point p = c.getLocationOnScreen();
                ready.append(",\"").append(id).append("\":[").append(device(p.x)).append(',').append(device(p.y))
                        .append(',').append(device(c.getWidth())).append(',').append(device(c.getHeight())).append(']');
            });
            out.println(ready.append('}'));
        }).start();
    }

    private static int device(double user) {
        return (int) Math.round(user * scale);
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
