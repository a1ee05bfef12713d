package dev.pixelsense.agent;

/** The system prompt: the agent's role, what the screenshot is, the coordinate convention, the rules. */
final class SystemPrompt {
    private SystemPrompt() {}

    static String text(ScreenAgent.Plan plan, AgentTools tools, View view, String screen) {
        int w = view.shown().getWidth();
        int h = view.shown().getHeight();
        return "You operate a computer to reach the user's goal, using the tools to move and click the mouse and "
                + "to type. Each step shows a screenshot of " + plan.describeTarget() + " (" + screen
                + " on the desktop), shown to you as " + w + "x" + h + " pixels.\n"
                + tools.convention(w, h) + "\n"
                + "Rules:\n"
                + "- Act only through tool calls. You may call several tools in one answer; they run in order.\n"
                + "- After every action the screen is checked: the tool result says whether it changed and where. "
                + "\"No visible change\" usually means the action missed: look again, zoom in to aim, or try another "
                + "way instead of repeating it.\n"
                + "- To click a button, link or label with visible text, click_text is the most precise.\n"
                + "- Click into a text field before typing into it.\n"
                + "- Call goal_reached once the screenshot shows the goal is reached, or give_up if it cannot be.";
    }
}
