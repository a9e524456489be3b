/** The widenet command line: {@code widenet train|theory|reproduce|sweep|report|worker …}. */
module widenet.cli {
    requires widenet.train;
    requires widenet.theory;
    requires widenet.reproduce;
    requires widenet.sweep;
    requires widenet.report;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires jdk.httpserver; // widenet serve

    opens widenet.cli to
            info.picocli;
}
