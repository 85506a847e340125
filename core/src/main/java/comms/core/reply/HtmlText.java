package comms.core.reply;

/** An HTML body reduced to its words, for reading a return date when a message has no text part. */
final class HtmlText {
  private HtmlText() {}

  static String of(String html) {
    String s = html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ");
    s = s.replaceAll("(?i)<br\\s*/?>|</p>|</div>", "\n").replaceAll("<[^>]+>", " ");
    s = s.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    return s.replaceAll("[ \\t]+", " ").strip();
  }
}
