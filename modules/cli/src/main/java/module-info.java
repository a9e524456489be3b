/** The widenet command line: {@code widenet train|theory|reproduce|sweep|report|worker …}. */
module widenet.cli {
    requires widenet.train;
    requires widenet.theory;
    requires widenet.sweep;
    requires widenet.report;
    requires info.picocli;
    requires me.tongfei.progressbar;
    opens widenet.cli to info.picocli;
}
