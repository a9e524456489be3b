/** The widenet command line: {@code widenet train …}. */
module widenet.cli {
    requires widenet.train;
    requires widenet.theory;
    requires info.picocli;
    requires me.tongfei.progressbar;
    opens widenet.cli to info.picocli;
}
