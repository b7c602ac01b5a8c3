package image2music.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: two cores, each task tried twice, every file Spark writes under target/. */
final class TestSpark {

    private TestSpark() {}

    static SparkSession session() {
        return SparkSession.builder()
                .appName("image2music-spark-test")
                .master("local[2,2]")
                .config("spark.ui.enabled", false)
                .config("spark.local.dir", "target/spark-local")
                .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                .config("spark.driver.host", "localhost")
                .config("spark.sql.shuffle.partitions", 2)
                .getOrCreate();
    }
}
