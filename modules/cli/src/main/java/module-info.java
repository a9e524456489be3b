/** The widenet command line: {@code widenet train …}, {@code widenet sweep …}, {@code widenet report …}. */
module widenet.cli {
    requires widenet.train;
    requires widenet.sweep;
    requires widenet.report;
    requires info.picocli;
    requires me.tongfei.progressbar;
    opens widenet.cli to info.picocli;
}
